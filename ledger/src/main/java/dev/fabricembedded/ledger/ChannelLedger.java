package dev.fabricembedded.ledger;

import dev.fabricembedded.ledger.block.BlockReader;
import dev.fabricembedded.ledger.block.TransactionRecord;
import dev.fabricembedded.ledger.history.HistoryQueryExecutor;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The ledger of one channel, persisted in one directory: block store, world state, history, simulation and
 * commit (Fabric's {@code PeerLedger}, fabric-1.4-flow.md §1.4, §6.7-§6.11).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #commit} applies a block completely or not at all: it validates (MVCC, phantoms, duplicate
 *   transaction ids), syncs the block with its final flags to the block store, then applies the valid writes
 *   and the savepoint; a refused block changes nothing;</li>
 *   <li>a simulation never sees a half-committed block: simulators and query executors hold a shared lock
 *   until {@code done()}, a commit holds it exclusively;</li>
 *   <li>after a crash (even {@code kill -9}, or a power cut) the next open recovers: torn block data is dropped,
 *   the state is re-applied from the block store above its savepoint, and every block {@code commit} returned
 *   for is present;</li>
 *   <li>one instance per directory, in any process ({@link LedgerInUseException}).</li>
 * </ul>
 *
 * <p>Threads: one committing thread; any number of endorsement and query threads. The ledger starts one, its block
 * store's sync thread (a block's {@code fdatasync} runs there while the committing thread applies the state and
 * indexes the transaction ids), idle between commits and stopped by {@link #close()}.
 */
public interface ChannelLedger extends AutoCloseable {

    /** A builder for the ledger of {@code channelId} in {@code directory} (created if absent). */
    static ChannelLedgerBuilder builder(final Path directory, final String channelId) {
        return new ChannelLedgerBuilder(directory, channelId);
    }

    String channelId();

    /** Number of committed blocks. */
    long height();

    /** Height, current and previous block hash. */
    BlockchainInfo chainInfo();

    /**
     * A simulator for one proposal. Holds the shared state lock until {@link TxSimulator#done()}: always call it.
     *
     * @throws LedgerException if the ledger is closed or failed
     */
    TxSimulator newTxSimulator(String txId);

    /** A read-only executor; holds the shared state lock until {@link QueryExecutor#done()}. */
    QueryExecutor newQueryExecutor();

    /**
     * A history executor (does not hold the state lock).
     *
     * @throws UnsupportedOperationException if the ledger was built with history disabled
     */
    HistoryQueryExecutor newHistoryQueryExecutor();

    /**
     * Validates and commits the next block. Transactions already marked invalid in its
     * {@code TRANSACTIONS_FILTER} keep their code; a missing filter (or a shorter one, or {@code NOT_VALIDATED})
     * means "valid so far"; the others are checked in block order (see
     * {@link dev.fabricembedded.ledger.validation.MvccValidator}).
     *
     * @return the final codes and the block as stored
     * @throws BlockRejectedException if the block is out of order, does not chain, has a wrong data hash, is
     *                                malformed, or does not fit the state's capacity; nothing was changed
     * @throws LedgerException        on an I/O failure; the ledger is then failed and must be reopened, which
     *                                recovers it
     */
    CommitResult commit(Block block);

    /**
     * {@link #commit(Block)} of a block prepared beforehand ({@link PreparedBlock#of}, on any thread): the same
     * checks, codes and guarantees, without checking the data hash and parsing the transactions again while the
     * commit holds the state lock.
     *
     * @throws BlockRejectedException as {@link #commit(Block)} (the data hash was checked by the preparation)
     * @throws LedgerException        as {@link #commit(Block)}
     */
    CommitResult commit(PreparedBlock block);

    /** Read access to the committed blocks. */
    BlockReader blockStore();

    /** A committed transaction by id, with its final validation code. */
    Optional<TransactionRecord> transactionById(String txId);

    /** True if a transaction with this id is committed, valid or not (the endorser's replay check). */
    boolean containsTxId(String txId);

    /**
     * Closes the ledger, waiting (up to the builder's {@code closeTimeout}, 30 s by default) for open simulators
     * and query executors; syncs every store and records a clean shutdown.
     *
     * @throws LedgerException if simulators are still open after the wait (the ledger then stays open)
     */
    @Override
    void close();
}
