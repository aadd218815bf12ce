package dev.fabricembedded.endorser.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.crypto.PemBlock;
import dev.fabricembedded.msp.x509.X509Cert;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fabric's {@code ExpirationCheck} auth filter (fabric-1.4-flow.md §1.1): refuses a proposal whose creator
 * certificate is past its NotAfter with {@code identity expired}. It is the only place a Fabric 1.4 peer checks
 * expiry on the endorsement path: MSP validation deliberately ignores it (chains are built at NotBefore + 1 s).
 *
 * <p>The creator is read without any MSP: a {@code SerializedIdentity} whose {@code id_bytes} is a PEM X.509
 * certificate. A creator that is not one (another identity type) has an unknown expiry and passes; the MSP check
 * that follows decides about it. A proposal whose proposal, header or signature header does not parse is refused
 * with {@code failed parsing proposal|header|signature header: ...}.
 *
 * <p>Certificate expiries are cached by creator bytes (bounded; cleared when full) because parsing a certificate
 * costs more than the rest of the filter. Thread-safe.
 */
public final class ExpirationCheck implements AuthFilter {

    /** Creators whose expiry is remembered before the cache is cleared. */
    static final int CACHE_SIZE = 4096;

    /** Marks a creator whose expiry is unknown (not a PEM certificate). */
    private static final Instant UNKNOWN = Instant.MAX;

    private final Clock clock;
    private final ConcurrentHashMap<ByteString, Instant> expiries = new ConcurrentHashMap<>();

    /** A check against the system clock. */
    public ExpirationCheck() {
        this(Clock.systemUTC());
    }

    /** A check against the given clock. */
    public ExpirationCheck(final Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AuthFilterResult check(final SignedProposal signedProposal) {
        Objects.requireNonNull(signedProposal, "signedProposal");
        final Proposal proposal;
        try {
            proposal = Proposal.parseFrom(signedProposal.getProposalBytes());
        } catch (InvalidProtocolBufferException e) {
            return malformed("failed parsing proposal: error unmarshaling Proposal: " + e.getMessage());
        }
        final Header header;
        try {
            header = Header.parseFrom(proposal.getHeader());
        } catch (InvalidProtocolBufferException e) {
            return malformed("failed parsing header: error unmarshaling Header: " + e.getMessage());
        }
        final SignatureHeader signatureHeader;
        try {
            signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return malformed("failed parsing signature header: error unmarshaling SignatureHeader: "
                    + e.getMessage());
        }
        final Instant expiresAt = expiresAt(signatureHeader.getCreator());
        if (expiresAt != UNKNOWN && clock.instant().isAfter(expiresAt)) {
            return AuthFilterResult.refused(AuthFilterResult.Code.IDENTITY_EXPIRED, "identity expired");
        }
        return AuthFilterResult.passed();
    }

    /** The creator certificate's NotAfter, or {@link #UNKNOWN} (Fabric's {@code crypto.ExpiresAt}). */
    private Instant expiresAt(final ByteString creator) {
        final Instant cached = expiries.get(creator);
        if (cached != null) {
            return cached;
        }
        final Instant expiry = parseExpiry(creator).orElse(UNKNOWN);
        if (expiries.size() >= CACHE_SIZE) {
            expiries.clear();
        }
        expiries.put(creator, expiry);
        return expiry;
    }

    private static Optional<Instant> parseExpiry(final ByteString creator) {
        final SerializedIdentity identity;
        try {
            identity = SerializedIdentity.parseFrom(creator);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
        final PemBlock block = Pem.decode(identity.getIdBytes().toByteArray());
        if (block == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(X509Cert.parse(block.content()).notAfter());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static AuthFilterResult malformed(final String message) {
        return AuthFilterResult.refused(AuthFilterResult.Code.MALFORMED_PROPOSAL, message);
    }

    @Override
    public String toString() {
        return "ExpirationCheck";
    }
}
