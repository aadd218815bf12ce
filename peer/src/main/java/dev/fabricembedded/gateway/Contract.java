package dev.fabricembedded.gateway;

import dev.fabricembedded.endorser.proposal.ProposalBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chaincode on a channel, invoked through a {@link Gateway}: {@link #submitTransaction} changes the ledger
 * (endorse, order, wait for the commit), {@link #evaluate} only reads (one endorsement, nothing ordered). Arguments are
 * UTF-8 strings, the function first, as Fabric's {@code Args}. Immutable; calls run on the caller's thread.
 */
public final class Contract {

    private final Gateway gateway;
    private final String channelId;
    private final String chaincodeName;

    Contract(final Gateway gateway, final String channelId, final String chaincodeName) {
        this.gateway = gateway;
        this.channelId = channelId;
        this.chaincodeName = chaincodeName;
    }

    /** The chaincode name. */
    public String chaincodeName() {
        return chaincodeName;
    }

    /**
     * Submits a transaction and returns the chaincode's response payload once it is committed as {@code VALID}.
     *
     * @throws EndorseException a peer did not endorse (Fabric's status and text)
     * @throws SubmitException  assembly, ordering or the wait for the commit failed
     * @throws CommitException  the transaction was committed as invalid (its {@code TxValidationCode})
     */
    public byte[] submit(final String function, final String... args) {
        return submitTransaction(function, args).payload();
    }

    /** Like {@link #submit}, returning the transaction id, code, block, payload and phase timings. */
    public SubmitResult submitTransaction(final String function, final String... args) {
        return gateway.submit(channelId, proposal(function, args), gateway.endorsingPeers());
    }

    /**
     * Endorses a proposal on one peer and returns the chaincode's response payload; nothing is ordered.
     *
     * @throws EndorseException when the peer rejects the proposal or answers with a status of 400 or more, with its
     *                          text (e.g. {@code transaction returned with failure: ...})
     */
    public byte[] evaluate(final String function, final String... args) {
        return gateway.evaluate(proposal(function, args));
    }

    private ProposalBuilder proposal(final String function, final String... args) {
        final List<String> all = new ArrayList<>(args.length + 1);
        all.add(Objects.requireNonNull(function, "function"));
        all.addAll(List.of(args));
        return ProposalBuilder.invoke(channelId, chaincodeName).args(all.toArray(String[]::new));
    }

    @Override
    public String toString() {
        return "Contract[" + chaincodeName + " on " + channelId + "]";
    }
}
