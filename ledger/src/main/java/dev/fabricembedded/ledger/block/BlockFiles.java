package dev.fabricembedded.ledger.block;

import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.storage.ShutdownMarker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * The block files: segments {@code blockfile_NNNNNN} of checksummed records, one serialized block per record.
 *
 * <p>Record layout (big-endian): {@code magic u32 | payload length u32 | block number u64 | CRC32C(payload) u32 |
 * payload}. A record is written with one gathering write ({@link #write}) and synced ({@code fdatasync},
 * {@link #sync}) before the store reports it appended; a new segment starts when the current one would pass the
 * configured size. At open, {@link #scan} walks the records after the last indexed one and truncates the first one
 * that is incomplete or fails its
 * checksum: the torn tail of a crash, which never held an acknowledged block.
 *
 * <p>Plain files rather than a Chronicle Queue: a record must be durable when the commit returns (one
 * {@code fdatasync} of the appended bytes), and a torn tail must be detectable without Chronicle's header
 * recovery timeouts; see the ledger section of docs/ARCHITECTURE.md for the measurement.
 *
 * <p>Thread ownership: {@link #write} and {@link #scan} on the single writing thread; {@link #sync}
 * on the writing thread or on one it hands the sync to and waits for; {@link #read} on any.
 */
final class BlockFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockFiles.class);
    static final String PREFIX = "blockfile_";
    static final int HEADER_SIZE = 20;
    private static final int MAGIC = 0x46424C4B; // "FBLK"
    private static final int MAX_CACHED_READERS = 64;

    /** Where a record lives. */
    record Position(int segment, long offset) {
    }

    /** A record read back from disk. */
    record Record(int segment, long offset, long number, byte[] payload) {
        long end() {
            return offset + HEADER_SIZE + payload.length;
        }
    }

    private final Path directory;
    private final long maxFileSize;
    private final ConcurrentHashMap<Integer, FileChannel> readers = new ConcurrentHashMap<>();
    private FileChannel writer;
    private int writerSegment = -1;
    private long writerSize;

    BlockFiles(final Path directory, final long maxFileSize) {
        this.directory = directory;
        this.maxFileSize = maxFileSize;
    }

    static Path segmentPath(final Path directory, final int segment) {
        return directory.resolve(String.format("%s%06d", PREFIX, segment));
    }

    private TreeSet<Integer> segments() {
        final TreeSet<Integer> found = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PREFIX + "*")) {
            for (Path path : stream) {
                final String suffix = path.getFileName().toString().substring(PREFIX.length());
                if (suffix.matches("\\d{6}")) {
                    found.add(Integer.parseInt(suffix));
                }
            }
        } catch (IOException e) {
            throw new LedgerException("cannot list block files in " + directory + ": " + e, e);
        }
        return found;
    }

    /**
     * Reads and checks the records from {@code from} on, handing each complete one to {@code accept} in order.
     * The first record that is torn, corrupt, or refused by {@code accept} is cut off with everything after it
     * (later segments deleted). Afterwards the files end at the returned position, ready for {@link #write}.
     */
    Position scan(final Position from, final Predicate<Record> accept) {
        int segment = from.segment();
        long offset = from.offset();
        final TreeSet<Integer> existing = segments();
        while (true) {
            final Path path = segmentPath(directory, segment);
            final long size = sizeOf(path);
            if (size < 0) {
                break; // no such segment: the chain ends here
            }
            if (offset >= size) {
                final Integer next = existing.higher(segment);
                if (offset == size && next != null && next == segment + 1) {
                    segment = next;
                    offset = 0;
                    continue;
                }
                if (offset > size) {
                    throw new LedgerException("block file " + path + " is shorter (" + size
                            + " bytes) than its index says (" + offset + ")");
                }
                break;
            }
            final Record record = readRecord(segment, offset, size, true);
            if (record == null || !accept.test(record)) {
                LOG.warn("dropping {} bytes of incomplete or invalid block data at {}:{} (torn tail of a crash)",
                        size - offset, path.getFileName(), offset);
                truncate(path, offset);
                break;
            }
            offset = record.end();
        }
        for (Integer later : existing.tailSet(segment, false)) {
            LOG.warn("deleting block file {} after the end of the chain", segmentPath(directory, later));
            deleteSegment(later);
        }
        openWriter(segment, offset);
        return new Position(segment, offset);
    }

    /**
     * Reads the record at a position and checks its header (and, if asked, its checksum).
     *
     * @return the record, or null if it is incomplete or corrupt
     */
    Record readRecord(final int segment, final long offset, final long fileSize, final boolean verifyChecksum) {
        if (fileSize - offset < HEADER_SIZE) {
            return null;
        }
        final ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        readFully(segment, header, offset);
        header.flip();
        final int magic = header.getInt();
        final long length = header.getInt() & 0xFFFFFFFFL;
        final long number = header.getLong();
        final int crc = header.getInt();
        if (magic != MAGIC || length > fileSize - offset - HEADER_SIZE) {
            return null;
        }
        final byte[] payload = new byte[(int) length];
        readFully(segment, ByteBuffer.wrap(payload), offset + HEADER_SIZE);
        if (verifyChecksum && crc32c(payload) != crc) {
            return null;
        }
        return new Record(segment, offset, number, payload);
    }

    /** Size of a segment file, -1 if it does not exist. */
    long segmentSize(final int segment) {
        return sizeOf(segmentPath(directory, segment));
    }

    /**
     * Writes a record without syncing it: once this returns the record is in the page cache, so it survives the
     * process (not the machine) and is read back by the next open's {@link #scan}; {@link #sync} makes it durable.
     * Single writer.
     */
    Position write(final long number, final byte[] payload) {
        final long recordSize = HEADER_SIZE + (long) payload.length;
        if (writerSize > 0 && writerSize + recordSize > maxFileSize) {
            openWriter(writerSegment + 1, 0); // syncs the previous segment
            ShutdownMarker.syncDirectory(directory);
        }
        final ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(MAGIC).putInt(payload.length).putLong(number).putInt(crc32c(payload)).flip();
        final ByteBuffer body = ByteBuffer.wrap(payload);
        final long offset = writerSize;
        try {
            writer.position(offset);
            while (header.hasRemaining() || body.hasRemaining()) {
                writer.write(new ByteBuffer[]{header, body});
            }
        } catch (IOException e) {
            // leave the partial record: the next open cuts it off as a torn tail
            throw new LedgerException("cannot write block " + number + " to "
                    + segmentPath(directory, writerSegment) + ": " + e, e);
        }
        writerSize = offset + recordSize;
        return new Position(writerSegment, offset);
    }

    /**
     * Syncs ({@code fdatasync}) the segment being written, making every record written so far durable (earlier
     * segments were synced when the next one was started). May run on another thread than {@link #write}, as long
     * as no write runs meanwhile (the writer hands it over and waits for it).
     *
     * @param number the block last written, for the error message
     */
    void sync(final long number) {
        try {
            writer.force(false);
        } catch (IOException e) {
            throw new LedgerException("cannot sync block " + number + " to "
                    + segmentPath(directory, writerSegment) + ": " + e, e);
        }
    }

    /** Reads the payload of a record written by {@link #write}. Any thread. */
    byte[] read(final int segment, final long offset, final int length) {
        final byte[] payload = new byte[length];
        readFully(segment, ByteBuffer.wrap(payload), offset + HEADER_SIZE);
        return payload;
    }

    private void openWriter(final int segment, final long size) {
        closeWriter();
        final Path path = segmentPath(directory, segment);
        try {
            writer = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            writerSegment = segment;
            writerSize = size;
        } catch (IOException e) {
            throw new LedgerException("cannot open block file " + path + ": " + e, e);
        }
    }

    private void readFully(final int segment, final ByteBuffer buffer, final long position) {
        FileChannel channel = readers.get(segment);
        boolean temporary = false;
        final Path path = segmentPath(directory, segment);
        try {
            if (channel == null) {
                final FileChannel opened = FileChannel.open(path, StandardOpenOption.READ);
                if (readers.size() < MAX_CACHED_READERS) {
                    channel = readers.putIfAbsent(segment, opened);
                    if (channel == null) {
                        channel = opened;
                    } else {
                        opened.close();
                    }
                } else {
                    channel = opened;
                    temporary = true;
                }
            }
            long at = position;
            while (buffer.hasRemaining()) {
                final int n = channel.read(buffer, at);
                if (n < 0) {
                    throw new LedgerException("unexpected end of block file " + path + " at " + at);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new LedgerException("cannot read block file " + path + ": " + e, e);
        } finally {
            if (temporary) {
                closeQuietly(channel);
            }
        }
    }

    private void truncate(final Path path, final long size) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        } catch (IOException e) {
            throw new LedgerException("cannot truncate block file " + path + ": " + e, e);
        }
    }

    private void deleteSegment(final int segment) {
        final FileChannel reader = readers.remove(segment);
        if (reader != null) {
            closeQuietly(reader);
        }
        try {
            Files.deleteIfExists(segmentPath(directory, segment));
        } catch (IOException e) {
            throw new LedgerException("cannot delete block file " + segmentPath(directory, segment) + ": " + e, e);
        }
    }

    private static long sizeOf(final Path path) {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new LedgerException("cannot stat block file " + path + ": " + e, e);
        }
    }

    static int crc32c(final byte[] bytes) {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return (int) crc.getValue();
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.force(true);
            } catch (IOException e) {
                LOG.warn("cannot sync {}: {}", segmentPath(directory, writerSegment), e.toString());
            }
            closeQuietly(writer);
            writer = null;
        }
    }

    @Override
    public void close() {
        closeWriter();
        for (FileChannel reader : readers.values()) {
            closeQuietly(reader);
        }
        readers.clear();
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
