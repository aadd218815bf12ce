/**
 * Endorsement (ESCC): the {@link dev.fabricembedded.scc.escc.EndorsementPlugin} contract, Fabric 1.4's
 * {@link dev.fabricembedded.scc.escc.DefaultEndorsement} (proposal hash without the transient map,
 * {@code ProposalResponsePayload}, signature over {@code prp ‖ endorser}) and the registry of plugins by name.
 *
 * <p>Threads: plugins and the registry are immutable; the endorser calls them from whichever thread runs the proposal.
 */
package dev.fabricembedded.scc.escc;
