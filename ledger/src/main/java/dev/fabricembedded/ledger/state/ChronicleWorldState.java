package dev.fabricembedded.ledger.state;

import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.storage.MapSizing;
import dev.fabricembedded.ledger.storage.PersistedMap;
import dev.fabricembedded.ledger.storage.RedoJournal;
import net.openhft.chronicle.bytes.RandomDataInput;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapAbsentEntry;
import net.openhft.chronicle.map.MapEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The {@link WorldState} in a persisted Chronicle Map (file {@value #FILE_NAME}) plus the in-memory
 * {@link KeyIndex}. The savepoint lives in the same map under a reserved key, so it is stored with the state.
 *
 * <p>Capacity is enforced logically before a block is stored: live entries may not exceed the sizing's
 * {@code entries}, nor key + value bytes its byte budget; the Chronicle file keeps head room above both. The
 * counters are computed at open from the entries themselves and maintained by {@link #apply}.
 *
 * <p>Thread ownership: see {@link WorldState}; the counters belong to the committing thread.
 */
public final class ChronicleWorldState implements WorldState {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleWorldState.class);
    /** Name of the map file inside the state directory. */
    public static final String FILE_NAME = "state.cm";
    /** Name of the {@link RedoJournal} of the last block's writes inside the state directory. */
    public static final String JOURNAL_NAME = "state.journal";
    private static final byte[] SAVEPOINT_KEY = {0, 's', 'a', 'v', 'e', 'p', 'o', 'i', 'n', 't'};

    private final PersistedMap file;
    private final RedoJournal journal;
    private final ChronicleMap<byte[], byte[]> map;
    private final KeyIndex index;
    private final StateLimits limits;
    private final MapSizing sizing;
    private long entries;
    private long bytes;

    private ChronicleWorldState(final PersistedMap file, final RedoJournal journal, final KeyIndex index,
                                final StateLimits limits, final long entries, final long bytes) {
        this.file = file;
        this.journal = journal;
        this.map = file.map();
        this.sizing = file.sizing();
        this.index = index;
        this.limits = limits;
        this.entries = entries;
        this.bytes = bytes;
    }

    /**
     * Opens (or creates) the state in {@code directory}, rebuilds the key index, and completes the last block's
     * writes from the {@link RedoJournal} if a crash interrupted them (the journal holds the block after the
     * savepoint).
     *
     * @param sizing   the sizing to create the map with; an existing map keeps its own
     * @param limits   the key/value limits; they must fit the map's largest entry
     * @param recover  open in Chronicle's recovery mode (after a process crash)
     */
    public static ChronicleWorldState open(final Path directory, final MapSizing sizing, final StateLimits limits,
                                           final boolean recover) {
        final long started = System.nanoTime();
        final PersistedMap file = PersistedMap.open(directory.resolve(FILE_NAME), sizing, "state", recover);
        RedoJournal journal = null;
        try {
            if (limits.maxEntrySize() > file.sizing().maxEntrySize()) {
                throw new LedgerException("state in " + directory + " was created for entries of at most "
                        + file.sizing().maxEntrySize() + " bytes; it cannot take values of "
                        + limits.maxValueSize() + " bytes");
            }
            journal = RedoJournal.open(directory.resolve(JOURNAL_NAME));
            final List<byte[]> keys = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, file.map().longSize()));
            final long[] bytes = {0};
            file.map().forEachEntry(entry -> {
                final byte[] key = entry.key().getUsing(null);
                if (key.length > 0 && key[0] != 0) {
                    keys.add(key);
                    bytes[0] += key.length + entry.value().size();
                }
            });
            final KeyIndex index = KeyIndex.of(keys);
            LOG.info("world state {}: {} keys, index rebuilt in {} ms", directory, keys.size(),
                    (System.nanoTime() - started) / 1_000_000);
            final ChronicleWorldState state = new ChronicleWorldState(file, journal, index, limits, keys.size(),
                    bytes[0]);
            state.completeJournaledBlock();
            return state;
        } catch (RuntimeException e) {
            if (journal != null) {
                journal.close();
            }
            file.close();
            throw e;
        }
    }

    /**
     * Re-applies the journaled block if its apply was interrupted: it is the block after the savepoint, or the
     * savepoint entry itself is gone (Chronicle's recovery removes an entry torn by the crash, and the savepoint
     * is only ever written right after the journaled block's entries).
     */
    private void completeJournaledBlock() {
        journal.interrupted(map.get(SAVEPOINT_KEY)).ifPresent(batch -> {
            try {
                batch.forEach((key, stored) -> {
                    if (stored == null) {
                        remove(key);
                    } else {
                        put(key, stored);
                    }
                });
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new LedgerException("world state in " + file.file() + " could not take the journaled writes "
                        + "of block " + batch.sequence() + " (" + e.getMessage() + "); it needs a state created "
                        + "with more capacity", e);
            }
            map.put(SAVEPOINT_KEY, savepointValue(batch.sequence()));
            LOG.info("world state {}: completed the interrupted writes of block {} from the journal ({} keys)",
                    file.file().getParent(), batch.sequence(), batch.keys().size());
        });
    }

    /** Deletes the state files in {@code directory} (to rebuild the state from the block store). */
    public static void delete(final Path directory) {
        PersistedMap.delete(directory.resolve(FILE_NAME));
        RedoJournal.delete(directory.resolve(JOURNAL_NAME));
    }

    @Override
    public VersionedValue get(final StateKey key) {
        final byte[] stored = map.get(key.bytes());
        return stored == null ? null : StoredValue.decode(stored);
    }

    @Override
    public byte[] value(final StateKey key) {
        // measured: Chronicle's own get plus one copy beats reading in place through a query context
        final byte[] stored = map.get(key.bytes());
        return stored == null ? null : StoredValue.value(stored);
    }

    @Override
    public ValueView view(final StateKey key) {
        final byte[] stored = map.get(key.bytes());                 // a fresh array: the view is its only user
        return stored == null ? null : StoredValue.view(stored, 0);
    }

    /** The stored form ({@link StoredValue}) of an encoded key, or null: what {@link CachedWorldState} keeps. */
    byte[] stored(final byte[] encodedKey) {
        return map.get(encodedKey);
    }

    @Override
    public Height version(final StateKey key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> context = map.queryContext(key.bytes())) {
            context.readLock().lock();
            final MapEntry<byte[], byte[]> entry = context.entry();
            if (entry == null) {
                return null;
            }
            final Data<byte[]> stored = entry.value();
            final RandomDataInput in = stored.bytes();
            final long offset = stored.offset();
            return new Height(in.readLong(offset), in.readInt(offset + 8) & 0xFFFFFFFFL);
        }
    }

    @Override
    public VersionedMetadata versionedMetadata(final StateKey key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> context = map.queryContext(key.bytes())) {
            context.readLock().lock();
            final MapEntry<byte[], byte[]> entry = context.entry();
            if (entry == null) {
                return null;
            }
            final Data<byte[]> stored = entry.value();
            final RandomDataInput in = stored.bytes();
            final long offset = stored.offset();
            final int metadataStart = StoredValue.HEADER_SIZE + in.readInt(offset + 12);
            final byte[] metadata = new byte[(int) stored.size() - metadataStart];
            if (metadata.length > 0) {
                in.read(offset + metadataStart, metadata, 0, metadata.length);
            }
            return new VersionedMetadata(new Height(in.readLong(offset), in.readInt(offset + 8) & 0xFFFFFFFFL),
                    metadata);
        }
    }

    @Override
    public Iterator<VersionedKV> range(final String namespace, final String startKey, final String endKey) {
        final byte[] from = StateKey.encode(namespace, startKey);
        final byte[] to = endKey.isEmpty() ? StateKey.namespaceEnd(namespace) : StateKey.encode(namespace, endKey);
        final Iterator<byte[]> keys = index.range(from, to, false);
        return new Iterator<>() {
            private VersionedKV next = advance();

            private VersionedKV advance() {
                while (keys.hasNext()) {
                    final byte[] key = keys.next();
                    final byte[] stored = map.get(key);
                    if (stored != null) {
                        final StateKey decoded = StateKey.fromBytes(key);
                        return new VersionedKV(namespace, decoded.key(), StoredValue.decode(stored));
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public VersionedKV next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                final VersionedKV current = next;
                next = advance();
                return current;
            }
        };
    }

    @Override
    public long savepoint() {
        final byte[] value = map.get(SAVEPOINT_KEY);
        return value == null ? -1 : ByteBuffer.wrap(value).getLong();
    }

    @Override
    public long size() {
        return entries;
    }

    @Override
    public long capacity() {
        return sizing.entries();
    }

    /** Bytes of keys and values currently stored (the counter the byte budget is checked against). */
    public long bytesUsed() {
        return bytes;
    }

    @Override
    public StateLimits limits() {
        return limits;
    }

    @Override
    public void checkCapacity(final UpdateBatch batch, final long blockNumber) {
        // fast path: even if every put were a new key and no delete freed anything, the block fits
        long worstEntries = 0;
        long worstBytes = 0;
        for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
            final UpdateBatch.Write write = change.getValue();
            if (!write.isDelete()) {
                worstEntries++;
                worstBytes += change.getKey().bytes().length + StoredValue.HEADER_SIZE + write.value().length
                        + (write.metadata() == null ? 0 : write.metadata().length);
            }
        }
        if (entries + worstEntries <= sizing.entries() && bytes + worstBytes <= sizing.byteCapacity()) {
            return;
        }
        long entryDelta = 0;
        long byteDelta = 0;
        for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
            final byte[] key = change.getKey().bytes();
            final long oldSize = storedSize(key);
            final UpdateBatch.Write write = change.getValue();
            if (write.isDelete()) {
                if (oldSize >= 0) {
                    entryDelta--;
                    byteDelta -= key.length + oldSize;
                }
            } else {
                final long newSize = StoredValue.HEADER_SIZE + write.value().length
                        + (write.metadata() == null ? 0 : write.metadata().length);
                if (oldSize < 0) {
                    entryDelta++;
                    byteDelta += key.length + newSize;
                } else {
                    byteDelta += newSize - oldSize;
                }
            }
        }
        if (entryDelta > 0 && entries + entryDelta > sizing.entries()) {
            throw new BlockRejectedException(BlockRejectedException.Reason.CAPACITY_EXCEEDED, blockNumber,
                    "world state is full: block " + blockNumber + " adds " + entryDelta + " keys to "
                            + entries + " but the state was created for " + sizing.entries()
                            + " entries; nothing of the block was committed (create the ledger with more entries)");
        }
        if (byteDelta > 0 && bytes + byteDelta > sizing.byteCapacity()) {
            throw new BlockRejectedException(BlockRejectedException.Reason.CAPACITY_EXCEEDED, blockNumber,
                    "world state is full: block " + blockNumber + " adds " + byteDelta + " bytes to " + bytes
                            + " but the state was sized for " + sizing.byteCapacity() + " bytes (entries x "
                            + "(average key + value size)); nothing of the block was committed");
        }
    }

    /** Size of the stored value of {@code key}, -1 if absent; reads no value bytes. */
    private long storedSize(final byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> context = map.queryContext(key)) {
            final MapEntry<byte[], byte[]> entry = context.entry();
            return entry == null ? -1 : entry.value().size();
        }
    }

    /**
     * Records the batch's final bytes in the journal, then applies them: deletes first, then puts, then the
     * savepoint. {@code recovering} changes nothing here: the state a re-applied block meets is exactly the
     * state after the block before it (the journal completed any interrupted block at open), so re-applying
     * computes and writes what the first application would have.
     */
    @Override
    public void apply(final UpdateBatch batch, final long blockNumber, final boolean recovering) {
        try {
            journal.begin();
            final List<byte[]> putKeys = new ArrayList<>(batch.size());
            final List<byte[]> putValues = new ArrayList<>(batch.size());
            for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
                if (change.getValue().isDelete()) {
                    journal.remove(change.getKey().bytes());
                }
            }
            for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
                final UpdateBatch.Write write = change.getValue();
                if (!write.isDelete()) {
                    final byte[] stored = StoredValue.encode(write.value(), write.metadata(), write.version());
                    putKeys.add(change.getKey().bytes());
                    putValues.add(stored);
                    journal.put(change.getKey().bytes(), stored);
                }
            }
            journal.record(blockNumber);
            for (Map.Entry<StateKey, UpdateBatch.Write> change : batch.writes().entrySet()) {
                if (change.getValue().isDelete()) {
                    remove(change.getKey().bytes());
                }
            }
            for (int i = 0; i < putKeys.size(); i++) {
                put(putKeys.get(i), putValues.get(i));
            }
            map.put(SAVEPOINT_KEY, savepointValue(blockNumber));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new LedgerException("world state in " + file.file() + " could not take the writes of block "
                    + blockNumber + " (" + e.getMessage() + "); the block is stored and will be re-applied at the "
                    + "next open, which needs a state created with more capacity", e);
        }
    }

    private static byte[] savepointValue(final long blockNumber) {
        return ByteBuffer.allocate(8).putLong(blockNumber).array();
    }

    private void remove(final byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> context = map.queryContext(key)) {
            context.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = context.entry();
            if (entry != null) {
                final long oldSize = entry.value().size();
                context.remove(entry);
                entries--;
                bytes -= key.length + oldSize;
                index.remove(key);
            }
        }
    }

    private void put(final byte[] key, final byte[] stored) {
        try (ExternalMapQueryContext<byte[], byte[], ?> context = map.queryContext(key)) {
            context.updateLock().lock();
            final MapEntry<byte[], byte[]> entry = context.entry();
            if (entry != null) {
                final long oldSize = entry.value().size();
                context.replaceValue(entry, context.wrapValueAsData(stored));
                bytes += stored.length - oldSize;
            } else {
                final MapAbsentEntry<byte[], byte[]> absent = context.absentEntry();
                context.insert(absent, context.wrapValueAsData(stored));
                entries++;
                bytes += key.length + stored.length;
                index.add(key);
            }
        }
    }

    /** Closes the journal, then closes and syncs the map. */
    @Override
    public void close() {
        try {
            journal.close();
        } finally {
            file.close();
        }
    }
}
