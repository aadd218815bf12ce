package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.EcKeyPair;

import java.util.Objects;

/**
 * A certificate and its private key: the material an {@link Msp} turns into a {@link SigningIdentity}. It is what
 * the dev CA issues and what an MSP folder's {@code signcerts/} and {@code keystore/} hold.
 *
 * @param certificatePem the certificate, PEM
 * @param keyPair        the key pair whose public half the certificate certifies
 */
public record Enrollment(ByteString certificatePem, EcKeyPair keyPair) {

    public Enrollment {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(keyPair, "keyPair");
    }
}
