package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file ({@value #FILE_NAME}) present while a directory's stores are open, deleted by a clean close.
 *
 * <p>Finding it at open means the previous owner did not close: Chronicle Maps must then be opened in recovery
 * mode, because a process killed inside a map operation leaves a segment lock held and a plain reopen would hang
 * on it (shared/reference/infra.md). The marker records the kernel boot id: if the machine restarted since, the
 * memory-mapped files (never synced while open) may have lost pages and must be rebuilt from the block store,
 * which is the only store synced on every commit. The marker itself is synced when written and when removed so
 * that this distinction survives a power cut.
 */
public final class ShutdownMarker {
    /** Name of the marker file inside the directory. */
    public static final String FILE_NAME = "DIRTY";

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** How the previous owner of the directory stopped. */
    public enum PreviousShutdown {
        /** Closed cleanly, or the directory is new. */
        CLEAN,
        /** The process died (kill -9, crash) but the machine kept running: mapped files are intact. */
        PROCESS_CRASH,
        /** The machine restarted while the directory was open: mapped files may be stale or torn. */
        SYSTEM_CRASH
    }

    private final Path directory;
    private final PreviousShutdown previous;

    private ShutdownMarker(final Path directory, final PreviousShutdown previous) {
        this.directory = directory;
        this.previous = previous;
    }

    /**
     * Reads the marker left by the previous owner (if any), then writes this owner's marker and syncs it.
     * Call it after {@link DirectoryLock#acquire}, before opening any store in the directory.
     */
    public static ShutdownMarker arm(final Path directory) {
        final Path file = directory.resolve(FILE_NAME);
        final String currentBoot = currentBootId();
        PreviousShutdown previous = PreviousShutdown.CLEAN;
        try {
            final String content = Files.readString(file, StandardCharsets.US_ASCII);
            final String markedBoot = field(content, "boot");
            previous = !markedBoot.isEmpty() && !currentBoot.isEmpty() && !markedBoot.equals(currentBoot)
                    ? PreviousShutdown.SYSTEM_CRASH : PreviousShutdown.PROCESS_CRASH;
        } catch (NoSuchFileException e) {
            previous = PreviousShutdown.CLEAN;
        } catch (IOException e) {
            // unreadable (torn by a power cut while being written): assume the worst
            previous = PreviousShutdown.SYSTEM_CRASH;
        }
        final String content = "boot=" + currentBoot + "\npid=" + ProcessHandle.current().pid() + "\n";
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.US_ASCII.encode(content));
            channel.force(true);
        } catch (IOException e) {
            throw new LedgerException("cannot write shutdown marker " + file + ": " + e, e);
        }
        syncDirectory(directory);
        return new ShutdownMarker(directory, previous);
    }

    /** How the previous owner stopped. */
    public PreviousShutdown previous() {
        return previous;
    }

    /** Removes the marker: call it last in a clean close, after every store has been closed and synced. */
    public void disarm() {
        try {
            Files.deleteIfExists(directory.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new LedgerException("cannot remove shutdown marker in " + directory + ": " + e, e);
        }
        syncDirectory(directory);
    }

    /** Syncs a directory so that files created, renamed or deleted in it survive a power cut. */
    public static void syncDirectory(final Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some platforms cannot open or sync a directory; the data files themselves are synced
        }
    }

    /** The kernel's boot id, or "" where the platform does not expose one. */
    static String currentBootId() {
        try {
            return Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private static String field(final String content, final String name) {
        for (String line : content.split("\n")) {
            if (line.startsWith(name + "=")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }
}
