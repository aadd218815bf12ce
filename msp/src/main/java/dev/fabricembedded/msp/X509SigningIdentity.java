package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.EcdsaSigner;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.x509.X509Cert;

import java.time.Instant;
import java.util.List;

/** An {@link X509Identity} with its private key. */
final class X509SigningIdentity implements SigningIdentity {

    private final X509Identity identity;
    private final EcdsaSigner signer;

    X509SigningIdentity(X509Identity identity, EcdsaSigner signer) {
        this.identity = identity;
        this.signer = signer;
    }

    X509Identity identity() {
        return identity;
    }

    @Override
    public byte[] sign(byte[] message) {
        return signer.sign(message);
    }

    @Override
    public String mspId() {
        return identity.mspId();
    }

    @Override
    public String id() {
        return identity.id();
    }

    @Override
    public X509Cert certificate() {
        return identity.certificate();
    }

    @Override
    public ByteString serialized() {
        return identity.serialized();
    }

    @Override
    public VerificationResult verify(byte[] message, byte[] signature) {
        return identity.verify(message, signature);
    }

    @Override
    public VerificationResult verify(ByteString message, ByteString signature) {
        return identity.verify(message, signature);
    }

    @Override
    public Instant expiresAt() {
        return identity.expiresAt();
    }

    @Override
    public List<String> organizationalUnits() {
        return identity.organizationalUnits();
    }

    @Override
    public ValidationResult validate() {
        return identity.validate();
    }

    @Override
    public ValidationResult satisfiesPrincipal(Principal principal) {
        return identity.satisfiesPrincipal(principal);
    }

    @Override
    public String toString() {
        return "Signing" + identity;
    }
}
