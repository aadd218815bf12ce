package dev.fabricembedded.ledger.block;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.storage.DirectoryLock;
import dev.fabricembedded.ledger.storage.ShutdownMarker;
import dev.fabricembedded.ledger.storage.ShutdownMarker.PreviousShutdown;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The {@link BlockStore} on plain files: {@link BlockFiles} (the blocks, synced per append), {@link
 * BlockIndexFile} (number to position) and {@link ChainLookup} (transaction id and block hash), in one directory
 * guarded by a {@link DirectoryLock} and a {@link ShutdownMarker}.
 *
 * <p>Open-time recovery, in order: keep the intact prefix of the number index (every entry is checked after a
 * crash, the last one after a clean close); check that the last indexed block's record is intact; scan the
 * block files past it, indexing complete records and truncating the first torn one; then bring the
 * transaction-id index up to the height (or rebuild it if the machine restarted while the store was open, since
 * its memory-mapped file was never synced).
 *
 * <p>Thread ownership: appends are serialized (one committing thread, also the transaction index's only writer);
 * each append hands the record's {@code fdatasync} to the store's helper thread ({@code block-sync}, idle between
 * appends, stopped by {@link #close()}) and waits for it; reads run on any thread; {@link #close()} waits for reads
 * in progress.
 */
public final class FileBlockStore implements BlockStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileBlockStore.class);
    static final String INDEX_FILE = "index";
    private static final byte[] NO_HASH = new byte[0];
    private static final long HELPER_STOP_SECONDS = 30;

    /** Configures and opens a {@link FileBlockStore}. */
    public static final class Builder {
        private final Path directory;
        private long maxFileSize = 64L << 20;
        private long indexEntries = 100_000;
        private int averageTxIdSize = 64;

        private Builder(final Path directory) {
            this.directory = directory;
        }

        /** Size at which a new block file is started (default 64 MiB, as Fabric). */
        public Builder maxFileSize(final long bytes) {
            if (bytes < BlockFiles.HEADER_SIZE + 1) {
                throw new IllegalArgumentException("maxFileSize too small: " + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /**
         * Capacity of the first generation of the transaction-id/block-hash index (default 100,000 entries;
         * each further generation doubles it, so this only tunes the first file's size).
         */
        public Builder indexEntries(final long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("indexEntries must be at least 1, was " + entries);
            }
            this.indexEntries = entries;
            return this;
        }

        /** Expected average transaction id length in bytes (default 64, a hex SHA-256). */
        public Builder averageTxIdSize(final int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("averageTxIdSize must be at least 1, was " + bytes);
            }
            this.averageTxIdSize = bytes;
            return this;
        }

        /**
         * Opens the store, recovering it if the previous owner did not close it.
         *
         * @throws dev.fabricembedded.ledger.LedgerInUseException if the directory is open elsewhere
         * @throws LedgerException if the directory cannot be created or the files cannot be read
         */
        public FileBlockStore open() {
            return FileBlockStore.open(this);
        }
    }

    /** The chain head, replaced as a whole so readers see a consistent triple. */
    private record Head(long height, byte[] currentHash, byte[] previousHash) {
    }

    private final Path directory;
    private final DirectoryLock lock;
    private final ShutdownMarker marker;
    private final BlockFiles files;
    private final BlockIndexFile index;
    private final ChainLookup lookup;
    private final ReentrantReadWriteLock closeGuard = new ReentrantReadWriteLock();
    private final ExecutorService syncThread;
    private volatile Head head;
    private volatile boolean closed;
    private volatile String appendFailure;

    private FileBlockStore(final Path directory, final DirectoryLock lock, final ShutdownMarker marker,
                           final BlockFiles files, final BlockIndexFile index, final ChainLookup lookup,
                           final Head head) {
        this.directory = directory;
        this.lock = lock;
        this.marker = marker;
        this.files = files;
        this.index = index;
        this.lookup = lookup;
        this.head = head;
        this.syncThread = Executors.newSingleThreadExecutor(task -> {
            final Thread thread = new Thread(task, "block-sync " + directory);
            thread.setDaemon(true);
            return thread;
        });
    }

    static Builder builder(final Path directory) {
        return new Builder(directory);
    }

    private static FileBlockStore open(final Builder builder) {
        final Path directory = builder.directory;
        final DirectoryLock lock = DirectoryLock.acquire(directory);
        BlockFiles files = null;
        BlockIndexFile index = null;
        ChainLookup lookup = null;
        FileBlockStore store = null;
        try {
            final ShutdownMarker marker = ShutdownMarker.arm(directory);
            final PreviousShutdown previous = marker.previous();
            if (previous != PreviousShutdown.CLEAN) {
                LOG.info("block store {}: previous owner did not close it ({}), recovering", directory, previous);
            }
            files = new BlockFiles(directory, builder.maxFileSize);
            index = new BlockIndexFile(directory.resolve(INDEX_FILE));
            final long[] height = {recoverIndex(directory, files, index, previous != PreviousShutdown.CLEAN)};
            final BlockIndexFile indexFile = index;
            final byte[][] lastHash = {height[0] == 0 ? NO_HASH : indexFile.read(height[0] - 1).headerHash()};
            final BlockIndexFile.Entry last = height[0] == 0 ? null : indexFile.read(height[0] - 1);
            final BlockFiles.Position from = last == null ? new BlockFiles.Position(0, 0)
                    : new BlockFiles.Position(last.segment(), last.offset() + BlockFiles.HEADER_SIZE + last.length());
            files.scan(from, record -> {
                final Block block;
                try {
                    block = Block.parseFrom(record.payload());
                } catch (InvalidProtocolBufferException e) {
                    return false;
                }
                final BlockHeader header = block.getHeader();
                if (record.number() != height[0] || header.getNumber() != height[0]
                        || !Arrays.equals(header.getPreviousHash().toByteArray(), lastHash[0])) {
                    return false;
                }
                final byte[] hash = BlockHashes.headerHash(header);
                indexFile.write(new BlockIndexFile.Entry(height[0], record.segment(), record.offset(),
                        record.payload().length, hash));
                LOG.info("block store {}: re-indexed block {} found after the index", directory, height[0]);
                lastHash[0] = hash;
                height[0]++;
                return true;
            });
            if (previous == PreviousShutdown.SYSTEM_CRASH) {
                LOG.warn("block store {}: the machine restarted while it was open; rebuilding the transaction index",
                        directory);
                ChainLookup.delete(directory);
            }
            lookup = ChainLookup.open(directory, builder.indexEntries, builder.averageTxIdSize,
                    previous == PreviousShutdown.PROCESS_CRASH);
            if (lookup.indexedHeight() > height[0]) {
                LOG.warn("block store {}: transaction index is ahead of the blocks ({} > {}), rebuilding it",
                        directory, lookup.indexedHeight(), height[0]);
                lookup.close();
                lookup = null;
                ChainLookup.delete(directory);
                lookup = ChainLookup.open(directory, builder.indexEntries, builder.averageTxIdSize, false);
            }
            store = new FileBlockStore(directory, lock, marker, files, index, lookup,
                    new Head(0, NO_HASH, NO_HASH));
            store.catchUpLookup(height[0]);
            store.head = height[0] == 0 ? new Head(0, NO_HASH, NO_HASH)
                    : new Head(height[0], lastHash[0],
                    store.readBlock(height[0] - 1).getHeader().getPreviousHash().toByteArray());
            LOG.debug("block store {} open at height {}", directory, height[0]);
            return store;
        } catch (RuntimeException e) {
            if (store != null) {
                store.stopHelpers();
            }
            if (lookup != null) {
                lookup.close();
            }
            if (index != null) {
                index.close();
            }
            if (files != null) {
                files.close();
            }
            lock.close();
            throw e;
        }
    }

    /** Truncates the number index to its intact prefix whose last record is intact; returns that height. */
    private static long recoverIndex(final Path directory, final BlockFiles files, final BlockIndexFile index,
                                     final boolean crashed) {
        long count = index.intactPrefix(crashed);
        while (count > 0) {
            final BlockIndexFile.Entry last = index.read(count - 1);
            final long size = files.segmentSize(last.segment());
            final BlockFiles.Record record = size < 0 ? null
                    : files.readRecord(last.segment(), last.offset(), size, crashed);
            if (record != null && record.number() == last.number() && record.payload().length == last.length()) {
                break;
            }
            LOG.warn("block store {}: index entry {} points at a missing or corrupt record, dropping it",
                    directory, count - 1);
            count--;
        }
        if (count != index.count()) {
            LOG.warn("block store {}: keeping {} of {} block index entries", directory, count, index.count());
            index.truncate(count);
        }
        return count;
    }

    private void catchUpLookup(final long height) {
        for (long number = lookup.indexedHeight(); number < height; number++) {
            final Block block = readBlock(number);
            lookup.index(number, BlockHashes.headerHash(block.getHeader()), txIdsOf(block),
                    TxValidationFlags.fromBlock(block));
        }
    }

    @Override
    public void append(final Block block) {
        append(block, txIdsOf(block));
    }

    @Override
    public synchronized void append(final Block block, final List<String> txIds) {
        checkOpen();
        final long number = block.hasHeader() ? block.getHeader().getNumber() : -1;
        if (!block.hasHeader() || !block.hasData()) {
            throw new BlockRejectedException(BlockRejectedException.Reason.MALFORMED, number,
                    "block " + number + " has no " + (block.hasHeader() ? "data" : "header"));
        }
        final Head current = head;
        verifyPosition(block, current.height(), current.currentHash());
        append(HashCheckedBlock.of(block), txIds);
    }

    /**
     * Appends a block whose data hash is already checked: only its number and previous hash are checked here, then
     * the record is written and synced, the number index entry written, and its transaction ids and hash indexed.
     *
     * @throws BlockRejectedException if its number is not {@link #height()} or its {@code previous_hash} is not the
     *                                last block's hash
     */
    public void append(final HashCheckedBlock checked, final List<String> txIds) {
        append(checked, txIds, () -> { });
    }

    /**
     * {@link #append(HashCheckedBlock, List)}, running {@code alongside} on the calling thread while the record is
     * synced on the store's helper thread (the ledger applies the block's state writes there).
     *
     * <p>Order: the record is written (one {@code write}: from then on it is in the page cache, so it survives a
     * crash of the process and is re-indexed by the next open's scan); then its {@code fdatasync} runs on the sync
     * thread while this thread runs {@code alongside} and then indexes the block's transaction ids and hash (the two
     * together take less than the sync, so a second helper would only add a hand-off); once the sync is done too,
     * the number index entry is written and the head moves, making the block visible ({@link #height},
     * {@link #blockByNumber}, {@link #transactionLocation}, which hides entries at or above the height). So this
     * returns, and the block becomes visible, only once it is durable, as before.
     *
     * <p>Why the sync may overlap the indexing and {@code alongside}: what they write (the transaction index, the
     * caller's state) is derived from the block and rebuilt from the block files, never the reverse. After a process
     * crash the written record is intact (the page cache belongs to the kernel) and the next open indexes it again
     * (indexing is idempotent); after a machine crash, where the record may be lost, the transaction index is rebuilt
     * from the blocks and the ledger rebuilds its state and history from them too ({@code SYSTEM_CRASH} at open). A
     * derived structure ahead of a lost block therefore never survives an open.
     *
     * <p>Failures: the checks below throw before anything is written and change nothing. A failure after the write
     * (the write itself, the sync, the indexing, or {@code alongside}) is thrown once the sync has finished, the
     * block is not made visible, and the store refuses every later append (its files are then in a state only the
     * next open's recovery sorts out): the caller must treat the commit as failed and reopen.
     *
     * @throws BlockRejectedException   if its number is not {@link #height()} or its {@code previous_hash} is not the
     *                                  last block's hash
     * @throws IllegalArgumentException if {@code txIds} does not have one id per transaction
     */
    public synchronized void append(final HashCheckedBlock checked, final List<String> txIds,
                                    final Runnable alongside) {
        checkAppendable();
        final Block block = checked.block();
        final Head current = head;
        final long number = checked.number();
        if (txIds.size() != block.getData().getDataCount()) {
            throw new IllegalArgumentException("block " + number + " has " + block.getData().getDataCount()
                    + " transactions but " + txIds.size() + " transaction ids were given");
        }
        verifyPosition(block, current.height(), current.currentHash());
        final byte[] payload = block.toByteArray();
        final BlockFiles.Position position;
        try {
            position = files.write(number, payload);
        } catch (RuntimeException e) {
            appendFailure = "the write of block " + number + " failed: " + e.getMessage();
            throw e;
        }
        final byte[] hash = BlockHashes.headerHash(block.getHeader());
        final TxValidationFlags flags = TxValidationFlags.fromBlock(block);
        final Future<?> synced = syncThread.submit(() -> files.sync(number));
        RuntimeException failure = null;
        try {
            alongside.run();
            lookup.index(number, hash, txIds, flags);
        } catch (RuntimeException e) {
            failure = e;
        }
        failure = awaitSync(synced, failure);
        if (failure != null) {
            appendFailure = "the append of block " + number + " failed: " + failure.getMessage();
            LOG.error("block store {}: {}; it refuses appends until reopened", directory, appendFailure);
            throw failure;
        }
        index.write(new BlockIndexFile.Entry(number, position.segment(), position.offset(), payload.length, hash));
        head = new Head(number + 1, hash, block.getHeader().getPreviousHash().toByteArray());
    }

    /**
     * Waits for the sync task, uninterruptibly (the block must not be left half-handled: the flag is restored), and
     * returns the first failure: {@code failure} if there was one, else the task's.
     */
    private static RuntimeException awaitSync(final Future<?> task, final RuntimeException failure) {
        boolean interrupted = false;
        RuntimeException result = failure;
        try {
            while (true) {
                try {
                    task.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    final Throwable cause = e.getCause();
                    final RuntimeException thrown = cause instanceof RuntimeException runtime ? runtime
                            : new LedgerException(cause.toString(), cause);
                    if (result == null) {
                        result = thrown;
                    } else {
                        result.addSuppressed(thrown);
                    }
                    break;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return result;
    }

    /**
     * Checks a block's number, previous hash and data hash against a chain of {@code height} blocks whose last
     * hash is {@code lastHash}; Fabric's texts for the first two.
     *
     * @throws BlockRejectedException on any mismatch
     */
    public static void verifyLinks(final Block block, final long height, final byte[] lastHash) {
        verifyPosition(block, height, lastHash);
        HashCheckedBlock.of(block);
    }

    /**
     * Checks a block's number and previous hash against a chain of {@code height} blocks whose last hash is
     * {@code lastHash} (Fabric's texts), not its data hash (see {@link HashCheckedBlock}).
     *
     * @throws BlockRejectedException on a mismatch
     */
    public static void verifyPosition(final Block block, final long height, final byte[] lastHash) {
        final BlockHeader header = block.getHeader();
        final long number = header.getNumber();
        if (number != height) {
            throw new BlockRejectedException(BlockRejectedException.Reason.WRONG_NUMBER, number,
                    "block number should have been " + height + " but was " + Long.toUnsignedString(number));
        }
        final byte[] previous = header.getPreviousHash().toByteArray();
        if (!Arrays.equals(previous, lastHash)) {
            throw new BlockRejectedException(BlockRejectedException.Reason.WRONG_PREVIOUS_HASH, number,
                    "unexpected Previous block hash. Expected PreviousHash = [" + HexFormat.of().formatHex(lastHash)
                            + "], PreviousHash referred in the latest block= [" + HexFormat.of().formatHex(previous)
                            + "]");
        }
    }

    /** The channel-header transaction id of every envelope in a block ("" where there is none or it is garbage). */
    public static List<String> txIdsOf(final Block block) {
        final List<String> ids = new ArrayList<>(block.getData().getDataCount());
        for (ByteString data : block.getData().getDataList()) {
            ids.add(txIdOf(data));
        }
        return ids;
    }

    private static String txIdOf(final ByteString envelopeBytes) {
        try {
            final Envelope envelope = Envelope.parseFrom(envelopeBytes);
            final Payload payload = Payload.parseFrom(envelope.getPayload());
            return ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTxId();
        } catch (InvalidProtocolBufferException e) {
            return "";
        }
    }

    @Override
    public long height() {
        return head.height();
    }

    @Override
    public BlockchainInfo chainInfo() {
        final Head current = head;
        return BlockchainInfo.newBuilder()
                .setHeight(current.height())
                .setCurrentBlockHash(ByteString.copyFrom(current.currentHash()))
                .setPreviousBlockHash(ByteString.copyFrom(current.previousHash()))
                .build();
    }

    @Override
    public Optional<Block> blockByNumber(final long number) {
        return guarded(() -> number >= 0 && number < head.height() ? Optional.of(readBlock(number)) : Optional.empty());
    }

    @Override
    public Optional<Block> blockByHash(final byte[] headerHash) {
        return guarded(() -> {
            final OptionalLong number = lookup.blockNumber(headerHash);
            return number.isPresent() && number.getAsLong() < head.height()
                    ? Optional.of(readBlock(number.getAsLong())) : Optional.empty();
        });
    }

    @Override
    public Optional<TransactionLocation> transactionLocation(final String txId) {
        return guarded(() -> lookup.transaction(txId).filter(location -> location.blockNumber() < head.height()));
    }

    /** True if {@code txId} is indexed (the duplicate-txid check of the committer and the endorser). */
    public boolean containsTxId(final String txId) {
        return transactionLocation(txId).isPresent();
    }

    @Override
    public Optional<TransactionRecord> transactionById(final String txId) {
        return guarded(() -> transactionLocation(txId).map(location -> {
            final Block block = readBlock(location.blockNumber());
            try {
                final Envelope envelope = Envelope.parseFrom(block.getData().getData(location.txIndex()));
                return new TransactionRecord(location.blockNumber(), location.txIndex(), location.validationCode(),
                        envelope);
            } catch (InvalidProtocolBufferException e) {
                throw new LedgerException("transaction " + txId + " in block " + location.blockNumber()
                        + " is not an envelope: " + e.getMessage(), e);
            }
        }));
    }

    @Override
    public Optional<Block> blockByTxId(final String txId) {
        return guarded(() -> transactionLocation(txId).map(location -> readBlock(location.blockNumber())));
    }

    private Block readBlock(final long number) {
        final BlockIndexFile.Entry entry = index.read(number);
        if (entry == null) {
            throw new LedgerException("block store " + directory + ": index entry " + number + " is corrupt");
        }
        try {
            return Block.parseFrom(files.read(entry.segment(), entry.offset(), entry.length()));
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("block store " + directory + ": block " + number + " is corrupt: "
                    + e.getMessage(), e);
        }
    }

    private <T> T guarded(final Supplier<T> read) {
        closeGuard.readLock().lock();
        try {
            checkOpen();
            return read.get();
        } finally {
            closeGuard.readLock().unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LedgerException("block store " + directory + " is closed");
        }
    }

    private void checkAppendable() {
        checkOpen();
        final String failed = appendFailure;
        if (failed != null) {
            throw new LedgerException("block store " + directory + " refuses appends since " + failed
                    + "; close and reopen it");
        }
    }

    /** The directory holding the store. */
    public Path directory() {
        return directory;
    }

    /**
     * Stops the sync thread (idle: an append holds this store's monitor until its sync is done); returns a failure
     * to report, or null.
     */
    private RuntimeException stopHelpers() {
        syncThread.shutdown();
        try {
            if (!syncThread.awaitTermination(HELPER_STOP_SECONDS, TimeUnit.SECONDS)) {
                return new LedgerException("block store " + directory + ": its sync thread did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LedgerException("block store " + directory + ": interrupted while closing", e);
        }
        return null;
    }

    @Override
    public synchronized void close() {
        closeGuard.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException failure = stopHelpers();
            for (AutoCloseable resource : new AutoCloseable[]{lookup, index, files}) {
                try {
                    resource.close();
                } catch (Exception e) {
                    failure = failure == null ? new LedgerException("closing block store " + directory + ": " + e, e)
                            : failure;
                }
            }
            if (failure == null && appendFailure == null) {
                marker.disarm();
            }
            lock.close();
            if (failure != null) {
                throw failure;
            }
        } finally {
            closeGuard.writeLock().unlock();
        }
    }
}
