package dev.fabricembedded.endorser.auth;

import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A check run on every proposal before the endorser sees it (Fabric's {@code peer.handlers.authFilters} chain,
 * fabric-1.4-flow.md §1.1). A refusal reaches the client as an error with no {@code ProposalResponse}.
 *
 * <p>Implementations are thread-safe: the endorser calls them from every client thread.
 */
@FunctionalInterface
public interface AuthFilter {

    /** Checks a proposal; a failed result stops it. */
    AuthFilterResult check(SignedProposal signedProposal);
}
