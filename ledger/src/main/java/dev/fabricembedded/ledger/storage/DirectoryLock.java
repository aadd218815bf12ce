package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.LedgerInUseException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on a directory (file {@value #FILE_NAME} inside it), held from open to close.
 *
 * <p>Guarantees that at most one ledger instance, in any process, works on the directory: a second
 * {@link #acquire} fails at once with {@link LedgerInUseException} instead of corrupting in-memory indexes that
 * only one writer can keep true. The kernel releases the lock when the holder dies, so a crashed process
 * never blocks the next open. The lock file holds the holder's pid, which the error message repeats.
 */
public final class DirectoryLock implements AutoCloseable {
    /** Name of the lock file inside the locked directory. */
    public static final String FILE_NAME = "LOCK";

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(final Path directory, final FileChannel channel, final FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code directory} if needed and locks it.
     *
     * @throws LedgerInUseException if another instance (this JVM or another process) holds the lock
     * @throws LedgerException      if the directory cannot be created or written
     */
    public static DirectoryLock acquire(final Path directory) {
        final FileChannel channel;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | SecurityException e) {
            throw new LedgerException("cannot create or write ledger directory " + directory + ": " + e, e);
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LedgerException("cannot lock ledger directory " + directory + ": " + e, e);
        }
        if (lock == null) {
            final String holder = readHolder(channel);
            closeQuietly(channel);
            throw new LedgerInUseException(directory, holder);
        }
        try {
            final byte[] pid = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LedgerException("cannot write ledger directory " + directory + ": " + e, e);
        }
        return new DirectoryLock(directory, channel, lock);
    }

    /** The locked directory. */
    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it as well
        }
        closeQuietly(channel);
    }

    private static String readHolder(final FileChannel channel) {
        try {
            final ByteBuffer buffer = ByteBuffer.allocate(64);
            final int n = channel.read(buffer, 0);
            return n <= 0 ? "" : "held by " + new String(buffer.array(), 0, n, StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
