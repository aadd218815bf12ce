package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.ledger.history.HistoryQueryExecutor;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import java.util.Objects;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Everything one execution of a chaincode needs (Fabric's {@code TransactionParams} and {@code CCContext} together):
 * which chaincode, which transaction, the proposal it serves and the ledger access its requests are answered from.
 *
 * <pre>{@code
 * ChaincodeContext context = ChaincodeContext.builder("mychannel", "mycc", "1.0", txId)
 *         .signedProposal(signedProposal, proposal)
 *         .simulator(simulator)
 *         .historyExecutor(ledger.newHistoryQueryExecutor())
 *         .build();
 * }</pre>
 *
 * @param channelId       the channel, empty for a chainless proposal (e.g. {@code lscc install})
 * @param name            the chaincode name
 * @param version         the version to run (a system chaincode's is the peer's system chaincode version)
 * @param txId            the transaction id; one execution per chaincode and (channel, txId) at a time
 * @param signedProposal  the proposal as the client signed it, sent to the chaincode with INIT or TRANSACTION; may be
 *                        null only together with {@code proposal}
 * @param proposal        the parsed proposal, or null
 * @param simulator       the transaction's simulator: every GET_STATE, PUT_STATE... of this execution (and of the
 *                        chaincodes it calls on the same channel) goes to it; null when there is no ledger context
 * @param historyExecutor answers GET_HISTORY_FOR_KEY; null if the ledger keeps no history
 * @param isInit          whether this is an INIT (launched from the installed package, without a lifecycle lookup)
 *                        rather than a TRANSACTION
 */
public record ChaincodeContext(String channelId, String name, String version, String txId,
        SignedProposal signedProposal, Proposal proposal, TxSimulator simulator,
        HistoryQueryExecutor historyExecutor, boolean isInit) {

    public ChaincodeContext {
        Objects.requireNonNull(channelId, "channelId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(txId, "txId");
        if (name.isEmpty() || version.isEmpty() || txId.isEmpty()) {
            throw new IllegalArgumentException("chaincode name, version and transaction id must not be empty");
        }
    }

    /** Starts a context for a TRANSACTION of {@code name:version} in transaction {@code txId}. */
    public static Builder builder(final String channelId, final String name, final String version,
            final String txId) {
        return new Builder(channelId, name, version, txId);
    }

    /** {@code name:version}. */
    public String chaincodeId() {
        return name + ":" + version;
    }

    /** This context for another chaincode of the same transaction (a chaincode-to-chaincode call). */
    ChaincodeContext forCallee(final String calleeChannel, final String calleeName, final String calleeVersion,
            final TxSimulator calleeSimulator, final HistoryQueryExecutor calleeHistory) {
        return new ChaincodeContext(calleeChannel, calleeName, calleeVersion, txId, signedProposal, proposal,
                calleeSimulator, calleeHistory, false);
    }

    /** Collects the optional parts of a {@link ChaincodeContext}. */
    public static final class Builder {
        private final String channelId;
        private final String name;
        private final String version;
        private final String txId;
        private SignedProposal signedProposal;
        private Proposal proposal;
        private TxSimulator simulator;
        private HistoryQueryExecutor historyExecutor;
        private boolean init;

        private Builder(final String channelId, final String name, final String version, final String txId) {
            this.channelId = channelId;
            this.name = name;
            this.version = version;
            this.txId = txId;
        }

        /** The client's signed proposal and its parsed form. */
        public Builder signedProposal(final SignedProposal signed, final Proposal parsed) {
            this.signedProposal = signed;
            this.proposal = parsed;
            return this;
        }

        public Builder simulator(final TxSimulator txSimulator) {
            this.simulator = txSimulator;
            return this;
        }

        public Builder historyExecutor(final HistoryQueryExecutor executor) {
            this.historyExecutor = executor;
            return this;
        }

        /** Marks the execution as the chaincode's INIT (instantiate or upgrade) instead of a TRANSACTION. */
        public Builder init(final boolean isInit) {
            this.init = isInit;
            return this;
        }

        public ChaincodeContext build() {
            return new ChaincodeContext(channelId, name, version, txId, signedProposal, proposal, simulator,
                    historyExecutor, init);
        }
    }
}
