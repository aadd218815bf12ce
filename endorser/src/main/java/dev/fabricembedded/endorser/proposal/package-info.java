/**
 * Proposals, from both ends: how a client builds and signs one, and how a peer checks one before endorsing it.
 *
 * <ul>
 *   <li>{@link dev.fabricembedded.endorser.proposal.ProposalBuilder} builds signed proposals exactly as Fabric's
 *       clients do (invoke, and LSCC {@code install}/{@code deploy}/{@code upgrade}), giving a
 *       {@link dev.fabricembedded.endorser.proposal.ClientProposal}; {@link dev.fabricembedded.endorser.proposal.SignedTransactions}
 *       assembles the transaction envelope from it and the endorsements. The peer's gateway and the tests use
 *       them.</li>
 *   <li>{@link dev.fabricembedded.endorser.proposal.ProposalValidator} runs Fabric's {@code ValidateProposalMessage}
 *       checks in order and returns a {@link dev.fabricembedded.endorser.proposal.ProposalValidation}: the failed
 *       check with Fabric's text, or a {@link dev.fabricembedded.endorser.proposal.ValidatedProposal}.</li>
 * </ul>
 *
 * <p>Everything here is immutable or confined to the calling thread (builders), and safe to use from any thread.
 */
package dev.fabricembedded.endorser.proposal;
