package dev.fabricembedded.ledger.block;

import dev.fabricembedded.ledger.LedgerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Block number to record position: entry {@code n} of this file, at offset {@code n * 64}, locates block {@code n}.
 *
 * <p>Entry layout (big-endian): {@code number u64 | segment u32 | offset u64 | length u32 | header hash [32] |
 * CRC32C of the preceding 56 bytes u32 | 4 bytes padding}. The file is derived data (it can be rebuilt from the
 * block files), so it is not synced per block; at open a crashed store checks every entry's checksum and
 * re-indexes from the first bad one (see {@link FileBlockStore}).
 *
 * <p>Thread ownership: one writer; readers use positional reads and may run concurrently.
 */
final class BlockIndexFile implements AutoCloseable {
    static final int ENTRY_SIZE = 64;
    private static final int HASHED = 56;

    /** One index entry. */
    record Entry(long number, int segment, long offset, int length, byte[] headerHash) {
    }

    private final Path file;
    private final FileChannel channel;

    BlockIndexFile(final Path file) {
        this.file = file;
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LedgerException("cannot open block index " + file + ": " + e, e);
        }
    }

    /** Whole entries in the file. */
    long count() {
        try {
            return channel.size() / ENTRY_SIZE;
        } catch (IOException e) {
            throw new LedgerException("cannot stat block index " + file + ": " + e, e);
        }
    }

    /**
     * Number of leading entries that are intact: checksum right and number equal to position. With
     * {@code checkAll} false only the last entry is checked (enough after a clean close).
     */
    long intactPrefix(final boolean checkAll) {
        final long count = count();
        if (!checkAll) {
            return count == 0 || read(count - 1) != null ? count : intactPrefix(true);
        }
        final ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE * 1024);
        long checked = 0;
        try {
            while (checked < count) {
                buffer.clear();
                final long batch = Math.min(1024, count - checked);
                buffer.limit((int) (batch * ENTRY_SIZE));
                long at = checked * ENTRY_SIZE;
                while (buffer.hasRemaining()) {
                    final int n = channel.read(buffer, at);
                    if (n < 0) {
                        return checked;
                    }
                    at += n;
                }
                buffer.flip();
                for (int i = 0; i < batch; i++) {
                    if (decode(buffer, checked) == null) {
                        return checked;
                    }
                    checked++;
                }
            }
        } catch (IOException e) {
            throw new LedgerException("cannot read block index " + file + ": " + e, e);
        }
        return checked;
    }

    /** Entry {@code number}, or null if it is missing or corrupt. */
    Entry read(final long number) {
        final ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE);
        try {
            long at = number * ENTRY_SIZE;
            while (buffer.hasRemaining()) {
                final int n = channel.read(buffer, at);
                if (n < 0) {
                    return null;
                }
                at += n;
            }
        } catch (IOException e) {
            throw new LedgerException("cannot read block index " + file + ": " + e, e);
        }
        buffer.flip();
        return decode(buffer, number);
    }

    private static Entry decode(final ByteBuffer buffer, final long expectedNumber) {
        final int start = buffer.position();
        final CRC32C crc = new CRC32C();
        crc.update(buffer.slice(start, HASHED));
        final long number = buffer.getLong();
        final int segment = buffer.getInt();
        final long offset = buffer.getLong();
        final int length = buffer.getInt();
        final byte[] hash = new byte[32];
        buffer.get(hash);
        final int stored = buffer.getInt();
        buffer.position(start + ENTRY_SIZE);
        if (stored != (int) crc.getValue() || number != expectedNumber || length < 0 || offset < 0) {
            return null;
        }
        return new Entry(number, segment, offset, length, hash);
    }

    /** Writes entry {@code entry.number()} (not synced). */
    void write(final Entry entry) {
        final ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE);
        buffer.putLong(entry.number()).putInt(entry.segment()).putLong(entry.offset()).putInt(entry.length())
                .put(entry.headerHash());
        final CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, HASHED);
        buffer.putInt((int) crc.getValue()).putInt(0).flip();
        try {
            long at = entry.number() * ENTRY_SIZE;
            while (buffer.hasRemaining()) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new LedgerException("cannot write block index " + file + ": " + e, e);
        }
    }

    /** Cuts the file to {@code count} entries. */
    void truncate(final long count) {
        try {
            channel.truncate(count * ENTRY_SIZE);
        } catch (IOException e) {
            throw new LedgerException("cannot truncate block index " + file + ": " + e, e);
        }
    }

    /** Syncs and closes. */
    @Override
    public void close() {
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new LedgerException("cannot close block index " + file + ": " + e, e);
        }
    }
}
