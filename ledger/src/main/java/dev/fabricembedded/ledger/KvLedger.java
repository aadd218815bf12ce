package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockReader;
import dev.fabricembedded.ledger.block.BlockStore;
import dev.fabricembedded.ledger.block.FileBlockStore;
import dev.fabricembedded.ledger.block.HashCheckedBlock;
import dev.fabricembedded.ledger.block.TransactionRecord;
import dev.fabricembedded.ledger.block.TxValidationFlags;
import dev.fabricembedded.ledger.history.BlockHistoryQueryExecutor;
import dev.fabricembedded.ledger.history.HistoryIndex;
import dev.fabricembedded.ledger.history.HistoryQueryExecutor;
import dev.fabricembedded.ledger.state.CachedWorldState;
import dev.fabricembedded.ledger.state.ChronicleWorldState;
import dev.fabricembedded.ledger.state.WorldState;
import dev.fabricembedded.ledger.storage.DirectoryLock;
import dev.fabricembedded.ledger.storage.ShutdownMarker;
import dev.fabricembedded.ledger.storage.ShutdownMarker.PreviousShutdown;
import dev.fabricembedded.ledger.txmgr.LockBasedQueryExecutor;
import dev.fabricembedded.ledger.txmgr.LockBasedTxSimulator;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import dev.fabricembedded.ledger.txmgr.StateLock;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.ledger.validation.BlockValidation;
import dev.fabricembedded.ledger.validation.MvccValidator;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@link ChannelLedger}: a {@link FileBlockStore} in {@code blocks/}, a {@link ChronicleWorldState} in
 * {@code state/} (read through a {@link CachedWorldState} unless the cache is disabled), a {@link HistoryIndex} in
 * {@code history/}, under one {@link DirectoryLock} and {@link ShutdownMarker}.
 *
 * <p>Commit order (fabric-1.4-flow.md §6.8): validate under the exclusive state lock, check capacity, write the
 * block with its final flags, then apply the state batch and savepoint and index the block's transaction ids on
 * the committing thread while the block store syncs the block on its helper thread ({@link
 * FileBlockStore#append(HashCheckedBlock, List, Runnable)} says why the state may be applied before the sync
 * completes), release the lock once the sync is done too, then index the history. {@link #commit} returns only after
 * the sync, so a committed block is as durable as before. Recovery at open (§6.9): a process crash opens the
 * Chronicle Maps in recovery mode (state and history first complete a block whose writes the crash interrupted, from
 * their redo journals), a machine restart rebuilds state and history from the block store; then every block above
 * the lower of the two savepoints is re-applied trusting its stored flags. A state ahead of the block store is an
 * error.
 *
 * <p>If a commit fails after its block was written (an I/O error, a failed sync, a failed index or state update),
 * the ledger marks itself failed: every later call throws until it is reopened, which re-applies the block if it
 * was stored; the block is not visible meanwhile (the height does not move).
 */
final class KvLedger implements ChannelLedger {
    private static final Logger LOG = LoggerFactory.getLogger(KvLedger.class);
    private static final int METADATA_SLOTS = BlockMetadataIndex.COMMIT_HASH_VALUE + 1;

    private final Path directory;
    private final String channelId;
    private final DirectoryLock lock;
    private final ShutdownMarker marker;
    private final FileBlockStore blocks;
    private final WorldState state;
    private final HistoryIndex history;
    private final StateLock stateLock;
    private final MvccValidator validator;
    private final HistoryQueryExecutor historyQueries;
    private final long closeTimeoutMillis;
    private final ReentrantReadWriteLock closeGuard = new ReentrantReadWriteLock();
    private final Object commitMonitor = new Object();
    private volatile boolean closed;
    private volatile String failure;

    private KvLedger(final Path directory, final String channelId, final DirectoryLock lock,
                     final ShutdownMarker marker, final FileBlockStore blocks, final WorldState state,
                     final HistoryIndex history, final long closeTimeoutMillis) {
        this.directory = directory;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.channelId = channelId;
        this.lock = lock;
        this.marker = marker;
        this.blocks = blocks;
        this.state = state;
        this.history = history;
        this.stateLock = new StateLock("ledger " + channelId);
        this.validator = new MvccValidator(state);
        this.historyQueries = history == null ? null : new BlockHistoryQueryExecutor(history, blocks);
    }

    static KvLedger open(final ChannelLedgerBuilder builder) {
        final long started = System.nanoTime();
        final Path directory = builder.directory();
        final DirectoryLock lock = DirectoryLock.acquire(directory);
        FileBlockStore blocks = null;
        WorldState state = null;
        HistoryIndex history = null;
        try {
            final ShutdownMarker marker = ShutdownMarker.arm(directory);
            final PreviousShutdown previous = marker.previous();
            blocks = BlockStore.builder(directory.resolve("blocks"))
                    .maxFileSize(builder.blockFileSize())
                    .indexEntries(builder.txIndexEntries())
                    .open();
            if (previous == PreviousShutdown.SYSTEM_CRASH) {
                LOG.warn("ledger {}: the machine restarted while the ledger was open; rebuilding state and history"
                        + " from the block store", builder.channelId());
                ChronicleWorldState.delete(directory.resolve("state"));
                HistoryIndex.delete(directory.resolve("history"));
            } else if (previous == PreviousShutdown.PROCESS_CRASH) {
                LOG.info("ledger {}: previous process did not close the ledger, opening in recovery mode",
                        builder.channelId());
            }
            final boolean recover = previous == PreviousShutdown.PROCESS_CRASH;
            createDirectory(directory.resolve("state"));
            final ChronicleWorldState map = ChronicleWorldState.open(directory.resolve("state"),
                    builder.stateSizing(), builder.limits(), recover);
            final long cacheBytes = builder.stateCacheBytes();
            state = cacheBytes > 0 ? new CachedWorldState(map, cacheBytes) : map;
            if (builder.historyEnabled()) {
                history = HistoryIndex.open(directory.resolve("history"), builder.historyEntries(),
                        builder.averageKeySize(), recover);
            }
            final KvLedger ledger = new KvLedger(directory, builder.channelId(), lock, marker, blocks, state, history,
                    builder.closeTimeout().toMillis());
            final long replayed = ledger.recover();
            LOG.info("ledger {} open at height {} ({} blocks re-applied) in {} ms", builder.channelId(),
                    blocks.height(), replayed, (System.nanoTime() - started) / 1_000_000);
            return ledger;
        } catch (RuntimeException e) {
            if (history != null) {
                history.close();
            }
            if (state != null) {
                state.close();
            }
            if (blocks != null) {
                blocks.close();
            }
            lock.close();
            throw e;
        }
    }

    private static void createDirectory(final Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new LedgerException("cannot create " + path + ": " + e, e);
        }
    }

    /** Re-applies stored blocks above the state's and the history's savepoints; returns how many. */
    private long recover() {
        final long last = blocks.height() - 1;
        final long stateSavepoint = state.savepoint();
        final long historySavepoint = history == null ? last : history.savepoint();
        if (stateSavepoint > last) {
            throw new LedgerException("the state database [height=" + (stateSavepoint + 1)
                    + "] is ahead of the block store [height=" + (last + 1) + "] in " + directory
                    + "; delete the state directory to rebuild it from the block store");
        }
        if (historySavepoint > last) {
            throw new LedgerException("the history database [height=" + (historySavepoint + 1)
                    + "] is ahead of the block store [height=" + (last + 1) + "] in " + directory
                    + "; delete the history directory to rebuild it from the block store");
        }
        final long from = Math.min(stateSavepoint, historySavepoint) + 1;
        for (long number = from; number <= last; number++) {
            final long blockNumber = number;
            final Block block = blocks.blockByNumber(number).orElseThrow(() ->
                    new LedgerException("block " + blockNumber + " is missing from the block store"));
            final List<ParsedTransaction> transactions = parse(block);
            final BlockValidation validation = validator.validate(number, transactions,
                    TxValidationFlags.fromBlock(block).toByteArray(), txId -> false, true);
            if (number > stateSavepoint) {
                state.apply(validation.batch(), number, true);
            }
            if (history != null && number > historySavepoint) {
                history.apply(number, validation.keyWrites());
            }
        }
        return Math.max(0, last - from + 1);
    }

    private static List<ParsedTransaction> parse(final Block block) {
        final List<ParsedTransaction> transactions = new ArrayList<>(block.getData().getDataCount());
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            transactions.add(TransactionParser.parse(i, block.getData().getData(i)));
        }
        return transactions;
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public long height() {
        return blocks.height();
    }

    @Override
    public BlockchainInfo chainInfo() {
        return blocks.chainInfo();
    }

    @Override
    public TxSimulator newTxSimulator(final String txId) {
        checkUsable();
        final StateLock.Hold hold = stateLock.acquireShared("simulator for txid " + txId);
        if (closed) {
            hold.release();
            checkUsable();
        }
        return new LockBasedTxSimulator(txId, state, hold);
    }

    @Override
    public QueryExecutor newQueryExecutor() {
        checkUsable();
        final StateLock.Hold hold = stateLock.acquireShared("query executor");
        if (closed) {
            hold.release();
            checkUsable();
        }
        return new LockBasedQueryExecutor(state, hold);
    }

    @Override
    public HistoryQueryExecutor newHistoryQueryExecutor() {
        checkUsable();
        if (historyQueries == null) {
            throw new UnsupportedOperationException("history is disabled for ledger " + channelId);
        }
        return (namespace, key) -> {
            final ResultsIterator<KeyModification> iterator =
                    guarded(() -> historyQueries.getHistoryForKey(namespace, key));
            return new ResultsIterator<>() {
                @Override
                public KeyModification next() {
                    return guarded(iterator::next);
                }

                @Override
                public void close() {
                    iterator.close();
                }
            };
        };
    }

    @Override
    public CommitResult commit(final Block block) {
        synchronized (commitMonitor) {
            checkUsable();
            final long number = block.hasHeader() ? block.getHeader().getNumber() : -1;
            if (!block.hasHeader() || !block.hasData()) {
                throw new BlockRejectedException(BlockRejectedException.Reason.MALFORMED, number,
                        "block " + number + " has no " + (block.hasHeader() ? "data" : "header"));
            }
            // number and previous hash first, as Fabric reports them before the data hash
            FileBlockStore.verifyPosition(block, blocks.height(),
                    blocks.chainInfo().getCurrentBlockHash().toByteArray());
            return commitPrepared(PreparedBlock.of(block));
        }
    }

    @Override
    public CommitResult commit(final PreparedBlock prepared) {
        synchronized (commitMonitor) {
            checkUsable();
            return commitPrepared(prepared);
        }
    }

    /** Steps 2-7 of the commit path (docs/ARCHITECTURE.md), under the commit monitor. */
    private CommitResult commitPrepared(final PreparedBlock prepared) {
        final Block block = prepared.block();
        final long number = prepared.number();
        FileBlockStore.verifyPosition(block, blocks.height(), blocks.chainInfo().getCurrentBlockHash().toByteArray());
        final byte[] initialFlags = TxValidationFlags.fromBlock(block).toByteArray();
        final BlockValidation validation;
        final Block stored;
        final long stamp = stateLock.acquireExclusive("commit of block " + number);
        try {
            validation = validator.validate(number, prepared.transactions(), initialFlags, blocks::containsTxId,
                    false);
            state.checkCapacity(validation.batch(), number);
            final HashCheckedBlock withCodes = prepared.checked().withMetadata(withFlags(block, validation.flags()));
            stored = withCodes.block();
            // the state is applied here while the store syncs the written block on its helper thread
            try {
                blocks.append(withCodes, prepared.txIds(), () -> state.apply(validation.batch(), number, false));
            } catch (BlockRejectedException e) {
                throw e; // refused by the store before anything was written (the state never throws it)
            } catch (RuntimeException e) {
                fail("commit of block " + number + " failed: " + e.getMessage());
                throw e;
            }
        } finally {
            stateLock.releaseExclusive(stamp);
        }
        if (history != null) {
            try {
                history.apply(number, validation.keyWrites());
            } catch (RuntimeException e) {
                fail("history commit of block " + number + " failed: " + e.getMessage());
                throw e;
            }
        }
        return new CommitResult(number, TxValidationFlags.of(validation.flags()), stored);
    }

    /** The block's metadata with its final flags in the TRANSACTIONS_FILTER slot, padded to Fabric's 5 slots. */
    private static BlockMetadata withFlags(final Block block, final byte[] flags) {
        final BlockMetadata.Builder metadata = block.getMetadata().toBuilder();
        while (metadata.getMetadataCount() < METADATA_SLOTS) {
            metadata.addMetadata(ByteString.EMPTY);
        }
        metadata.setMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE, ByteString.copyFrom(flags));
        return metadata.build();
    }

    private void fail(final String reason) {
        failure = reason;
        LOG.error("ledger {} failed: {}; close and reopen it to recover", channelId, reason);
    }

    @Override
    public BlockReader blockStore() {
        return blocks;
    }

    @Override
    public Optional<TransactionRecord> transactionById(final String txId) {
        return blocks.transactionById(txId);
    }

    @Override
    public boolean containsTxId(final String txId) {
        return blocks.containsTxId(txId);
    }

    /** The world state (tests compare it with a replay). */
    WorldState worldState() {
        return state;
    }

    private <T> T guarded(final Supplier<T> read) {
        closeGuard.readLock().lock();
        try {
            if (closed) {
                throw new LedgerException("ledger " + channelId + " is closed");
            }
            return read.get();
        } finally {
            closeGuard.readLock().unlock();
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new LedgerException("ledger " + channelId + " is closed");
        }
        final String failed = failure;
        if (failed != null) {
            throw new LedgerException("ledger " + channelId + " failed (" + failed + "); close and reopen it");
        }
    }

    @Override
    public void close() {
        synchronized (commitMonitor) {
            if (closed) {
                return;
            }
            final long stamp = stateLock.tryAcquireExclusive(closeTimeoutMillis);
            if (stamp == 0) {
                throw new LedgerException("cannot close ledger " + channelId + ": still in use by "
                        + stateLock.sharedHolders() + " after " + closeTimeoutMillis + " ms; call done() on them");
            }
            closeGuard.writeLock().lock();
            try {
                closed = true;
            } finally {
                closeGuard.writeLock().unlock();
                stateLock.releaseExclusive(stamp);
            }
            RuntimeException error = null;
            for (AutoCloseable resource : new AutoCloseable[]{history, state, blocks}) {
                if (resource == null) {
                    continue;
                }
                try {
                    resource.close();
                } catch (Exception e) {
                    error = error == null ? new LedgerException("closing ledger " + channelId + ": " + e, e) : error;
                }
            }
            if (error == null && failure == null) {
                marker.disarm();
            }
            lock.close();
            if (error != null) {
                throw error;
            }
        }
    }
}
