package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.x509.X509Cert;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Fabric's {@code ExpirationCheck} auth filter in front of the endorser (§1.1): a proposal whose creator certificate
 * has expired is refused with {@code identity expired}. The MSP deliberately does not check expiry (the committer must
 * accept old transactions), so this filter is where an endorser enforces it. A creator whose expiry cannot be read
 * (not a serialized identity, not a PEM certificate) is let through, as in Fabric; the MSP then judges it.
 * Stateless apart from its clock; thread-safe.
 */
final class ExpirationCheck {

    private final Clock clock;

    ExpirationCheck(final Clock clock) {
        this.clock = clock;
    }

    void check(final SignedProposal signed) throws ProposalException {
        if (signed == null) {
            return; // message validation answers "nil arguments"
        }
        final Proposal proposal;
        final Header header;
        final SignatureHeader signatureHeader;
        try {
            proposal = Proposal.parseFrom(signed.getProposalBytes());
        } catch (InvalidProtocolBufferException e) {
            throw refused("failed parsing proposal: " + e.getMessage(), e);
        }
        try {
            header = Header.parseFrom(proposal.getHeader());
        } catch (InvalidProtocolBufferException e) {
            throw refused("failed parsing header: " + e.getMessage(), e);
        }
        try {
            signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            throw refused("failed parsing signature header: " + e.getMessage(), e);
        }
        final Optional<Instant> expiresAt = expiresAt(signatureHeader.getCreator());
        if (expiresAt.isPresent() && clock.instant().isAfter(expiresAt.get())) {
            throw new ProposalException(ProposalException.Reason.AUTH_FILTER, "identity expired");
        }
    }

    /** Fabric's {@code crypto.ExpiresAt}: the certificate's NotAfter, or empty when it cannot be read. */
    static Optional<Instant> expiresAt(final ByteString creator) {
        try {
            final SerializedIdentity identity = SerializedIdentity.parseFrom(creator);
            return Optional.of(X509Cert.fromPem(identity.getIdBytes().toByteArray()).notAfter());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static ProposalException refused(final String message, final Exception cause) {
        return new ProposalException(ProposalException.Reason.AUTH_FILTER, message, cause);
    }
}
