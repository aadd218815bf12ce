package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The last batch of writes to a persisted Chronicle Map, recorded in a file before the batch is applied, so that a
 * batch a process crash interrupted can be completed exactly at the next open.
 *
 * <p>Why: Chronicle Map does not make a single entry's write atomic. A {@code kill -9} in the middle of replacing a
 * value leaves an entry whose checksum no longer matches, and {@code recoverPersistedTo} then removes it: the key
 * loses the value it had <em>before</em> the interrupted batch as well. Re-running the block that produced the
 * batch cannot repair that, because Fabric's write rules read the committed state (a value-only write keeps the
 * key's latest metadata, a metadata-only write keeps its latest value). The journal holds the batch's final bytes
 * per key, which do not depend on what survived, so replaying it gives exactly the state the batch would have
 * produced.
 *
 * <p>File layout: a 24-byte header {@code magic u32 | sequence u64 | payload length u32 | CRC32C of the payload u32 |
 * entry count u32}, then per entry {@code key length u32 | key | value length i32 (-1: remove) | value}; numbers
 * little-endian. One positional write per batch, not forced: a process crash loses nothing the kernel already
 * holds, and after a machine crash the ledger rebuilds the maps from the block store and deletes the journal with
 * them. A batch torn by a crash fails its CRC and is ignored; the map was not touched by it yet, because the batch
 * is applied only after {@link #record} returns.
 *
 * <p>Thread ownership: the committing thread (record) and the opening thread (read); not thread-safe.
 */
public final class RedoJournal implements AutoCloseable {
    private static final int MAGIC = 0x4A524546; // "FERJ" little-endian
    private static final int HEADER_SIZE = 24;
    private static final int REMOVED = -1;
    private static final int INITIAL_BUFFER = 64 * 1024;
    /** A buffer grown past this by an unusually large block is given back at the next {@link #begin()}. */
    private static final int KEPT_BUFFER = 8 << 20;

    /**
     * One recorded batch.
     *
     * @param sequence the number the batch was recorded under (the block number)
     * @param keys     the keys, in recording order
     * @param values   the value of each key, null for a removal
     */
    public record Batch(long sequence, List<byte[]> keys, List<byte[]> values) {
        /** Applies each entry to a consumer, in recording order. */
        public void forEach(final EntryConsumer consumer) {
            for (int i = 0; i < keys.size(); i++) {
                consumer.accept(keys.get(i), values.get(i));
            }
        }
    }

    /** Receives a recorded entry: the key and its value, null for a removal. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(byte[] key, byte[] valueOrNull);
    }

    private final Path file;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private int count;
    private boolean open;

    private RedoJournal(final Path file, final FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (or creates) the journal file. */
    public static RedoJournal open(final Path file) {
        try {
            return new RedoJournal(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new LedgerException("cannot open journal " + file + ": " + e, e);
        }
    }

    /** Deletes a journal file (with the map it belongs to, to rebuild it from the block store). */
    public static void delete(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LedgerException("cannot delete journal " + file + ": " + e, e);
        }
    }

    /** Starts collecting the entries of a new batch; the previous one, if not recorded, is discarded. */
    public void begin() {
        if (buffer.capacity() > KEPT_BUFFER) {
            buffer = ByteBuffer.allocate(INITIAL_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear();
        buffer.position(HEADER_SIZE);
        count = 0;
        open = true;
    }

    /** Adds a put of {@code value} under {@code key} to the batch being collected. */
    public void put(final byte[] key, final byte[] value) {
        add(key, value);
    }

    /** Adds a removal of {@code key} to the batch being collected. */
    public void remove(final byte[] key) {
        add(key, null);
    }

    private void add(final byte[] key, final byte[] value) {
        if (!open) {
            throw new IllegalStateException("journal " + file + ": begin() was not called");
        }
        ensure(8 + key.length + (value == null ? 0 : value.length));
        buffer.putInt(key.length).put(key).putInt(value == null ? REMOVED : value.length);
        if (value != null) {
            buffer.put(value);
        }
        count++;
    }

    private void ensure(final int more) {
        if (buffer.remaining() < more) {
            final long needed = (long) buffer.position() + more;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new LedgerException("journal " + file + ": a batch of more than 2 GB cannot be recorded");
            }
            final ByteBuffer larger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8,
                    Math.max(needed, 2L * buffer.capacity()))).order(ByteOrder.LITTLE_ENDIAN);
            buffer.flip();
            larger.put(buffer);
            buffer = larger;
        }
    }

    /**
     * Writes the collected batch under {@code sequence}, replacing the previous one. When this returns, a process
     * crash can no longer lose the batch.
     */
    public void record(final long sequence) {
        if (!open) {
            throw new IllegalStateException("journal " + file + ": begin() was not called");
        }
        open = false;
        final int end = buffer.position();
        final int payload = end - HEADER_SIZE;
        crc.reset();
        crc.update(buffer.array(), HEADER_SIZE, payload);
        buffer.putInt(0, MAGIC).putLong(4, sequence).putInt(12, payload).putInt(16, (int) crc.getValue())
                .putInt(20, count);
        buffer.position(0).limit(end);
        try {
            long at = 0;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new LedgerException("cannot write journal " + file + ": " + e, e);
        }
    }

    /**
     * The batch last recorded, if the file holds an intact one: empty for a new file, a batch torn by a crash,
     * or a file that is not a journal.
     */
    public Optional<Batch> last() {
        try {
            final long size = channel.size();
            if (size < HEADER_SIZE) {
                return Optional.empty();
            }
            final ByteBuffer header = read(0, HEADER_SIZE);
            final long sequence = header.getLong(4);
            final int payload = header.getInt(12);
            final int count = header.getInt(20);
            if (header.getInt(0) != MAGIC || payload < 0 || count < 0 || HEADER_SIZE + (long) payload > size) {
                return Optional.empty();
            }
            final ByteBuffer data = read(HEADER_SIZE, payload);
            crc.reset();
            crc.update(data.array(), 0, payload);
            if ((int) crc.getValue() != header.getInt(16)) {
                return Optional.empty();
            }
            final List<byte[]> keys = new ArrayList<>(count);
            final List<byte[]> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                final byte[] key = new byte[data.getInt()];
                data.get(key);
                final int length = data.getInt();
                byte[] value = null;
                if (length != REMOVED) {
                    value = new byte[length];
                    data.get(value);
                }
                keys.add(key);
                values.add(value);
            }
            return Optional.of(new Batch(sequence, keys, values));
        } catch (IOException | RuntimeException e) {
            throw new LedgerException("cannot read journal " + file + ": " + e, e);
        }
    }

    /**
     * The last batch, if a crash interrupted its application: it was recorded under the owner's savepoint + 1, or
     * the owner's savepoint entry is missing altogether (Chronicle's recovery removed it, torn by the crash: the
     * savepoint is written only right after a journaled batch's entries).
     *
     * @param savepointEntry the owner's stored savepoint (a big-endian block number), null if absent
     */
    public Optional<Batch> interrupted(final byte[] savepointEntry) {
        if (savepointEntry == null) {
            return last();
        }
        // the usual open after a clean close: the header alone shows the batch was applied, so skip reading it
        final long next = ByteBuffer.wrap(savepointEntry).getLong() + 1;
        try {
            if (channel.size() >= HEADER_SIZE && read(0, HEADER_SIZE).getLong(4) != next) {
                return Optional.empty();
            }
        } catch (IOException e) {
            throw new LedgerException("cannot read journal " + file + ": " + e, e);
        }
        return last().filter(batch -> batch.sequence() == next);
    }

    private ByteBuffer read(final long position, final int length) throws IOException {
        final ByteBuffer into = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        while (into.hasRemaining()) {
            final int n = channel.read(into, at);
            if (n < 0) {
                throw new IOException("journal ends at " + at + ", expected " + (position + length) + " bytes");
            }
            at += n;
        }
        return into.flip();
    }

    /** The journal's file. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "RedoJournal[" + file + "]";
    }

    /** Closes the file (not forced: see the class comment). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new LedgerException("cannot close journal " + file + ": " + e, e);
        }
    }
}
