package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;

import java.util.Objects;

/**
 * An organizational unit as an MSP is configured with it (Fabric's {@code FabricOUIdentifier}): the OU value and,
 * optionally, the CA certificate (PEM) that must have certified it. With a certificate, only identities issued
 * under that CA's chain count; without one, any chain of the MSP does.
 *
 * @param organizationalUnit the OU value, e.g. {@code peer}
 * @param certificate        PEM of a root or intermediate CA of the MSP, or empty
 */
public record OuIdentifier(String organizationalUnit, ByteString certificate) {

    public OuIdentifier {
        Objects.requireNonNull(organizationalUnit, "organizationalUnit");
        Objects.requireNonNull(certificate, "certificate");
    }

    /** An OU with no certifier restriction. */
    public static OuIdentifier of(String organizationalUnit) {
        return new OuIdentifier(organizationalUnit, ByteString.EMPTY);
    }
}
