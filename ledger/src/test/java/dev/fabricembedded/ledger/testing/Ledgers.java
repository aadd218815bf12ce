package dev.fabricembedded.ledger.testing;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.ChannelLedgerBuilder;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import org.hyperledger.fabric.protos.common.Block;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Opens small ledgers for tests and drives simulations and commits through the public API. */
public final class Ledgers {
    private Ledgers() {
    }

    /** A builder sized for tests: small Chronicle files, 64 KiB values. */
    public static ChannelLedgerBuilder small(final Path directory) {
        return ChannelLedger.builder(directory, TestBlocks.CHANNEL)
                .stateEntries(20_000).txIndexEntries(20_000).historyEntries(20_000)
                .averageKeySize(24).averageValueSize(32).maxValueSize(64 * 1024);
    }

    /** Runs a simulation and returns its endorser transaction envelope. */
    public static ByteString simulate(final ChannelLedger ledger, final String txId,
                                      final Consumer<TxSimulator> simulation) {
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            simulation.accept(simulator);
            return TestBlocks.endorserTx(txId, simulator.getTxSimulationResults());
        }
    }

    /** The next block of the ledger's chain carrying these envelopes (no filter). */
    public static Block nextBlock(final ChannelLedger ledger, final List<ByteString> envelopes) {
        return new Chain(ledger.height(), ledger.chainInfo().getCurrentBlockHash().toByteArray()).next(envelopes);
    }

    /** The next block carrying these envelopes and a TRANSACTIONS_FILTER. */
    public static Block nextBlock(final ChannelLedger ledger, final List<ByteString> envelopes, final byte[] filter) {
        return new Chain(ledger.height(), ledger.chainInfo().getCurrentBlockHash().toByteArray())
                .next(envelopes, filter);
    }

    /** Simulates one transaction and commits it alone in a block. */
    public static CommitResult commitTx(final ChannelLedger ledger, final String txId,
                                        final Consumer<TxSimulator> simulation) {
        return ledger.commit(nextBlock(ledger, List.of(simulate(ledger, txId, simulation))));
    }

    public static byte[] bytes(final String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
