package dev.fabricembedded.msp.policy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.Principal;
import dev.fabricembedded.msp.ValidationResult;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.x509.X509Cert;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a real deserializer and counts, per identity, the signature verifications policy evaluation asks for. The
 * identities and verifications themselves are the real ones.
 */
final class CountingDeserializer implements IdentityDeserializer {

    private final IdentityDeserializer delegate;
    private final Map<String, AtomicInteger> verifications = new ConcurrentHashMap<>();

    CountingDeserializer(IdentityDeserializer delegate) {
        this.delegate = delegate;
    }

    int verifications(Identity identity) {
        AtomicInteger count = verifications.get(identity.id());
        return count == null ? 0 : count.get();
    }

    int totalVerifications() {
        return verifications.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public Identity deserializeIdentity(ByteString serializedIdentity) {
        Identity real = delegate.deserializeIdentity(serializedIdentity);
        return new Identity() {
            @Override
            public String mspId() {
                return real.mspId();
            }

            @Override
            public String id() {
                return real.id();
            }

            @Override
            public X509Cert certificate() {
                return real.certificate();
            }

            @Override
            public ByteString serialized() {
                return real.serialized();
            }

            @Override
            public VerificationResult verify(byte[] message, byte[] signature) {
                count();
                return real.verify(message, signature);
            }

            @Override
            public VerificationResult verify(ByteString message, ByteString signature) {
                count();
                return real.verify(message, signature);
            }

            private void count() {
                verifications.computeIfAbsent(real.id(), k -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public Instant expiresAt() {
                return real.expiresAt();
            }

            @Override
            public List<String> organizationalUnits() {
                return real.organizationalUnits();
            }

            @Override
            public ValidationResult validate() {
                return real.validate();
            }

            @Override
            public ValidationResult satisfiesPrincipal(Principal principal) {
                return real.satisfiesPrincipal(principal);
            }
        };
    }

    @Override
    public ValidationResult isWellFormed(ByteString serializedIdentity) {
        return delegate.isWellFormed(serializedIdentity);
    }
}
