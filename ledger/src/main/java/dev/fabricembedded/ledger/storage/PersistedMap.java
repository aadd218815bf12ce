package dev.fabricembedded.ledger.storage;

import dev.fabricembedded.ledger.LedgerException;
import net.openhft.chronicle.map.ChronicleMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A Chronicle Map of byte[] to byte[] persisted in one file, with its {@link MapSizing} in a sidecar file.
 *
 * <p>Creation is atomic: the map is created under a temporary name, checked to hold a {@link
 * MapSizing#maxEntrySize()} entry, closed and renamed, so a crash during creation never leaves a half-built map
 * under the real name. Opening after a {@link ShutdownMarker.PreviousShutdown#PROCESS_CRASH} uses Chronicle's
 * {@code recoverPersistedTo}, which clears segment locks left held by the dead process. {@link #close()} syncs
 * the file, so that a clean close followed by a power cut loses nothing.
 *
 * <p>Thread safety: Chronicle Map's; the owner is the single writer.
 */
public final class PersistedMap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistedMap.class);
    private static final byte[] PROBE_KEY = {0, 0, 'p', 'r', 'o', 'b', 'e'};

    private final Path file;
    private final MapSizing sizing;
    private final ChronicleMap<byte[], byte[]> map;

    private PersistedMap(final Path file, final MapSizing sizing, final ChronicleMap<byte[], byte[]> map) {
        this.file = file;
        this.sizing = sizing;
        this.map = map;
    }

    /**
     * Opens the map in {@code file}, creating it with {@code sizing} if it does not exist. An existing map keeps
     * the sizing it was created with (see {@link #sizing()}).
     *
     * @param recover open in Chronicle's recovery mode (after a process crash)
     */
    public static PersistedMap open(final Path file, final MapSizing sizing, final String name,
                                    final boolean recover) {
        final Path sizingFile = sizingFile(file);
        try {
            if (!Files.exists(file)) {
                create(file, sizing, name);
            }
            final MapSizing stored = MapSizing.load(sizingFile);
            if (!stored.equals(sizing)) {
                LOG.debug("{}: existing map keeps its sizing {} (requested {})", file, stored, sizing);
            }
            final ChronicleMap<byte[], byte[]> map = recover
                    ? stored.builder(name).recoverPersistedTo(file.toFile(), true,
                            corruption -> LOG.warn("{}: recovery repaired segment {}: {}", file,
                                    corruption.segmentIndex(), corruption.message(), corruption.exception()))
                    : stored.builder(name).createPersistedTo(file.toFile());
            return new PersistedMap(file, stored, map);
        } catch (IOException | RuntimeException e) {
            if (e instanceof LedgerException le) {
                throw le;
            }
            throw new LedgerException("cannot open Chronicle Map " + file + ": " + e, e);
        }
    }

    private static void create(final Path file, final MapSizing sizing, final String name) throws IOException {
        final Path temporary = file.resolveSibling(file.getFileName() + ".creating");
        Files.deleteIfExists(temporary);
        sizing.store(sizingFile(file));
        try (ChronicleMap<byte[], byte[]> map = sizing.builder(name).createPersistedTo(temporary.toFile())) {
            try {
                map.put(PROBE_KEY, new byte[sizing.maxEntrySize() - PROBE_KEY.length]);
                map.remove(PROBE_KEY);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("map sizing " + sizing + " cannot hold an entry of "
                        + sizing.maxEntrySize() + " bytes: " + e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            Files.deleteIfExists(temporary);
            Files.deleteIfExists(sizingFile(file));
            throw e;
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        ShutdownMarker.syncDirectory(file.getParent());
    }

    /** Deletes a map file and its sizing (used to rebuild a derived store from the block store). */
    public static void delete(final Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(sizingFile(file));
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".creating"));
        } catch (IOException e) {
            throw new LedgerException("cannot delete Chronicle Map " + file + ": " + e, e);
        }
    }

    private static Path sizingFile(final Path file) {
        return file.resolveSibling(file.getFileName() + ".sizing");
    }

    /** The Chronicle Map; valid until {@link #close()}. */
    public ChronicleMap<byte[], byte[]> map() {
        return map;
    }

    /** The sizing the map was created with. */
    public MapSizing sizing() {
        return sizing;
    }

    public Path file() {
        return file;
    }

    /** Closes the map and syncs its file to disk. */
    @Override
    public void close() {
        map.close();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            throw new LedgerException("cannot sync Chronicle Map " + file + ": " + e, e);
        }
    }
}
