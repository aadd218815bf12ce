package dev.fabricembedded.msp.devca;

import dev.fabricembedded.msp.crypto.EcdsaSigner;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * Adapts {@link EcdsaSigner} to BouncyCastle's certificate builders ({@code ecdsa-with-SHA256}, low-S), so that
 * issuing certificates needs no JCA provider. One instance signs one structure.
 */
final class EcdsaContentSigner implements ContentSigner {

    private final EcdsaSigner signer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    EcdsaContentSigner(EcdsaSigner signer) {
        this.signer = signer;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        return signer.sign(buffer.toByteArray());
    }
}
