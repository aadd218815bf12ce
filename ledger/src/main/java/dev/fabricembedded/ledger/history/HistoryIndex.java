package dev.fabricembedded.ledger.history;

import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.state.Height;
import dev.fabricembedded.ledger.state.KeyWrite;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.storage.GenerationalMap;
import dev.fabricembedded.ledger.storage.MapSizing;
import dev.fabricembedded.ledger.storage.RedoJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the history lives: an append-only log of fixed 20-byte records {@code previous record u64 | block u64 |
 * tx u32} (one per key write, linking back to the key's previous write) and a map from each key to its newest
 * record ({@code record u64 | block u64 | tx u32}), kept in a {@link GenerationalMap} so it grows for ever.
 *
 * <p>Why this shape: a key's history is a linked list walked from the newest entry, so a query costs one map
 * lookup plus one record read per modification, and a commit costs one map update per written key plus one
 * sequential write for the whole block; values are not copied, they are read from the block store as Fabric
 * does. Re-applying a block after a crash is harmless: a write is skipped if the key's newest record is already
 * at or after its version; records left unreferenced by a crash are never reached.
 *
 * <p>Thread ownership: {@link #apply} on the committing thread; reads from any thread.
 */
public final class HistoryIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryIndex.class);
    static final String LOG_FILE = "history.log";
    static final String HEADS = "heads";
    static final String JOURNAL = "heads.journal";
    static final int RECORD_SIZE = 20;
    private static final byte[] SAVEPOINT = {0, 'S'};
    private static final int HEAD_SIZE = 20;

    /** A record of the log: one write of a key, and the record of the key's previous write (-1 if none). */
    record Record(long previous, Height version) {
    }

    private final Path directory;
    private final FileChannel log;
    private final GenerationalMap heads;
    private final RedoJournal journal;
    private long records;

    private HistoryIndex(final Path directory, final FileChannel log, final GenerationalMap heads,
                         final RedoJournal journal, final long records) {
        this.directory = directory;
        this.log = log;
        this.heads = heads;
        this.journal = journal;
        this.records = records;
    }

    /**
     * Opens (or creates) the history in {@code directory}.
     *
     * @param headEntries first-generation capacity of the newest-record map (distinct keys)
     * @param recover     open the map in Chronicle's recovery mode (after a process crash)
     */
    public static HistoryIndex open(final Path directory, final long headEntries, final int averageKeySize,
                                    final boolean recover) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new LedgerException("cannot create history directory " + directory + ": " + e, e);
        }
        final FileChannel log;
        final long records;
        try {
            log = FileChannel.open(directory.resolve(LOG_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            records = log.size() / RECORD_SIZE;
            log.truncate(records * RECORD_SIZE); // a torn last record is never referenced
        } catch (IOException e) {
            throw new LedgerException("cannot open history log in " + directory + ": " + e, e);
        }
        GenerationalMap heads = null;
        RedoJournal journal = null;
        try {
            final MapSizing sizing = new MapSizing(headEntries, averageKeySize, HEAD_SIZE, 64 * 1024, 2.0);
            heads = GenerationalMap.open(directory, HEADS, sizing, recover);
            journal = RedoJournal.open(directory.resolve(JOURNAL));
            final HistoryIndex index = new HistoryIndex(directory, log, heads, journal, records);
            index.completeJournaledBlock();
            return index;
        } catch (RuntimeException e) {
            if (journal != null) {
                journal.close();
            }
            if (heads != null) {
                heads.close();
            }
            try {
                log.close();
            } catch (IOException ignored) {
                // reporting the first failure
            }
            throw e;
        }
    }

    /**
     * Re-writes the journaled block's heads if a crash interrupted them (see {@link RedoJournal}: a head torn by the
     * crash is removed by Chronicle's recovery, and re-indexing the block could then no longer link the key's new
     * record to its older ones). The block's records were written to the log before the journal.
     */
    private void completeJournaledBlock() {
        journal.interrupted(heads.getMeta(SAVEPOINT)).ifPresent(batch -> {
            batch.forEach(heads::put);
            heads.putMeta(SAVEPOINT, ByteBuffer.allocate(8).putLong(batch.sequence()).array());
            LOG.info("history {}: completed the interrupted index of block {} from the journal ({} keys)", directory,
                    batch.sequence(), batch.keys().size());
        });
    }

    /** Deletes the history in {@code directory} (to rebuild it from the block store). */
    public static void delete(final Path directory) {
        GenerationalMap.delete(directory, HEADS);
        RedoJournal.delete(directory.resolve(JOURNAL));
        try {
            Files.deleteIfExists(directory.resolve(LOG_FILE));
        } catch (IOException e) {
            throw new LedgerException("cannot delete history log in " + directory + ": " + e, e);
        }
    }

    /** Number of the last block indexed, -1 if none. */
    public long savepoint() {
        final byte[] value = heads.getMeta(SAVEPOINT);
        return value == null ? -1 : ByteBuffer.wrap(value).getLong();
    }

    /**
     * Indexes the key writes of block {@code blockNumber} (in block order) and moves the savepoint to it.
     * Idempotent for a block re-applied after a crash.
     */
    public void apply(final long blockNumber, final List<KeyWrite> writes) {
        final Map<StateKey, long[]> newest = new HashMap<>();
        final ByteBuffer out = ByteBuffer.allocate(writes.size() * RECORD_SIZE);
        final long first = records;
        long next = first;
        for (KeyWrite write : writes) {
            long[] head = newest.get(write.key());
            if (head == null) {
                final byte[] stored = heads.get(write.key().bytes());
                head = stored == null ? null : decodeHead(stored);
            }
            if (head != null && new Height(head[1], head[2]).compareTo(write.version()) >= 0) {
                continue; // already indexed before a crash
            }
            out.putLong(head == null ? -1 : head[0]).putLong(write.version().blockNum())
                    .putInt((int) write.version().txNum());
            newest.put(write.key(), new long[]{next, write.version().blockNum(), write.version().txNum()});
            next++;
        }
        out.flip();
        try {
            long at = first * RECORD_SIZE;
            while (out.hasRemaining()) {
                at += log.write(out, at);
            }
        } catch (IOException e) {
            throw new LedgerException("cannot write history log in " + directory + ": " + e, e);
        }
        records = next;
        final List<byte[]> keys = new ArrayList<>(newest.size());
        final List<byte[]> values = new ArrayList<>(newest.size());
        journal.begin();
        for (Map.Entry<StateKey, long[]> head : newest.entrySet()) {
            final long[] h = head.getValue();
            final byte[] value = ByteBuffer.allocate(HEAD_SIZE).putLong(h[0]).putLong(h[1]).putInt((int) h[2]).array();
            keys.add(head.getKey().bytes());
            values.add(value);
            journal.put(head.getKey().bytes(), value);
        }
        journal.record(blockNumber);
        for (int i = 0; i < keys.size(); i++) {
            heads.put(keys.get(i), values.get(i));
        }
        heads.putMeta(SAVEPOINT, ByteBuffer.allocate(8).putLong(blockNumber).array());
    }

    /** The newest record of {@code key}, -1 if it was never written. */
    long newest(final StateKey key) {
        final byte[] stored = heads.get(key.bytes());
        return stored == null ? -1 : decodeHead(stored)[0];
    }

    /** Reads record {@code index}. */
    Record read(final long index) {
        final ByteBuffer buffer = ByteBuffer.allocate(RECORD_SIZE);
        try {
            long at = index * RECORD_SIZE;
            while (buffer.hasRemaining()) {
                final int n = log.read(buffer, at);
                if (n < 0) {
                    throw new LedgerException("history log in " + directory + " ends before record " + index);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new LedgerException("cannot read history log in " + directory + ": " + e, e);
        }
        buffer.flip();
        return new Record(buffer.getLong(), new Height(buffer.getLong(), buffer.getInt() & 0xFFFFFFFFL));
    }

    private static long[] decodeHead(final byte[] stored) {
        final ByteBuffer buffer = ByteBuffer.wrap(stored);
        return new long[]{buffer.getLong(), buffer.getLong(), buffer.getInt() & 0xFFFFFFFFL};
    }

    /** Syncs and closes the log and the map. */
    @Override
    public void close() {
        try {
            journal.close();
            heads.close();
        } finally {
            try {
                log.force(true);
                log.close();
            } catch (IOException e) {
                throw new LedgerException("cannot close history log in " + directory + ": " + e, e);
            }
        }
    }
}
