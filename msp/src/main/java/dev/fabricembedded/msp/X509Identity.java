package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.EcdsaVerifier;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.x509.CertPool;
import dev.fabricembedded.msp.x509.X509Cert;

import java.time.Instant;
import java.util.List;

/**
 * The X.509 {@link Identity} produced by {@link X509Msp}. It keeps the chain search done while deserializing (Fabric
 * needs the issuer to sanitise the certificate) so that validation does not repeat it, and memoises its validation
 * result: both depend only on the immutable MSP and certificate.
 */
final class X509Identity implements Identity {

    private final X509Msp msp;
    private final X509Cert certificate;
    private final String id;
    private final ByteString serialized;
    private final EcdsaVerifier verifier;
    private final CertPool.Chains chains;
    private volatile ValidationResult validation;

    X509Identity(X509Msp msp, X509Cert certificate, String id, ByteString serialized, EcdsaVerifier verifier,
            CertPool.Chains chains) {
        this.msp = msp;
        this.certificate = certificate;
        this.id = id;
        this.serialized = serialized;
        this.verifier = verifier;
        this.chains = chains;
    }

    X509Msp msp() {
        return msp;
    }

    CertPool.Chains chains() {
        return chains;
    }

    /** The memoised validation result; computed once (a benign race may compute it twice, with one result). */
    ValidationResult validation() {
        ValidationResult result = validation;
        if (result == null) {
            result = msp.validateFresh(certificate, chains);
            validation = result;
        }
        return result;
    }

    @Override
    public String mspId() {
        return msp.name();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public X509Cert certificate() {
        return certificate;
    }

    @Override
    public ByteString serialized() {
        return serialized;
    }

    @Override
    public VerificationResult verify(byte[] message, byte[] signature) {
        return verifier.verify(message, signature);
    }

    @Override
    public VerificationResult verify(ByteString message, ByteString signature) {
        return verifier.verify(message, signature);
    }

    @Override
    public VerificationResult verifyAndRemember(ByteString message, ByteString signature) {
        return verifier.verifyAndRemember(message, signature);
    }

    @Override
    public VerificationResult verifyOrRecall(ByteString message, ByteString signature) {
        return verifier.verifyOrRecall(message, signature);
    }

    @Override
    public Instant expiresAt() {
        return certificate.notAfter();
    }

    @Override
    public List<String> organizationalUnits() {
        return certificate.organizationalUnits();
    }

    @Override
    public ValidationResult validate() {
        return msp.validate(this);
    }

    @Override
    public ValidationResult satisfiesPrincipal(Principal principal) {
        return msp.satisfiesPrincipal(this, principal);
    }

    @Override
    public String toString() {
        return "Identity[" + mspId() + ", " + certificate.commonName() + ", id=" + id.substring(0, 16) + "...]";
    }
}
