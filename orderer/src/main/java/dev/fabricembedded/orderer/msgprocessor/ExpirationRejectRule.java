package dev.fabricembedded.orderer.msgprocessor;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.msp.x509.X509Cert;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Rejects an envelope whose creator's certificate has expired (Fabric's {@code expirationRejectRule}), active only
 * when the channel's orderer capabilities enable {@code ExpirationCheck} (V1_1 or V1_4_2): {@code BAD_REQUEST},
 * {@code identity expired}. Like Fabric's {@code crypto.ExpiresAt}, a creator that is not an X.509 certificate has no
 * expiry and passes (the signature filter judges it). Immutable.
 */
public final class ExpirationRejectRule implements Rule {

    /** Fabric's text. */
    public static final String MESSAGE = "identity expired";

    private final Clock clock;

    /** A rule comparing NotAfter with this clock's time. */
    public ExpirationRejectRule(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public FilterResult apply(Envelope envelope) {
        SignedData signedData;
        try {
            signedData = EnvelopeSignedData.of(envelope);
        } catch (IllegalArgumentException e) {
            return FilterResult.badRequest("could not convert message to signedData: " + e.getMessage());
        }
        Optional<Instant> expiresAt = expiresAt(signedData);
        if (expiresAt.isEmpty() || clock.instant().isBefore(expiresAt.get())) {
            return FilterResult.accept();
        }
        return FilterResult.badRequest(MESSAGE);
    }

    private static Optional<Instant> expiresAt(SignedData signedData) {
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(signedData.identity());
            return Optional.of(X509Cert.fromPem(identity.getIdBytes().toByteArray()).notAfter());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
