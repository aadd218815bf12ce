package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.ipc.chronicle.ChannelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory under which a runtime creates one private channel directory per started chaincode.
 *
 * <p>Either given (e.g. {@code <peer data>/chaincode-channels}): it is created if missing, channel directories left
 * there by a crashed run are deleted at start-up ({@link ChannelDirectory#cleanStale}), and it stays when the runtime
 * closes. Or, by default, a fresh temporary directory (mode 0700) that the runtime deletes when it closes. Each
 * channel directory itself is created by the ipc channel and deleted when the channel closes. Thread-safe.
 */
final class ChannelBaseDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelBaseDirectory.class);

    private final Path path;
    private final boolean owned;
    private final SecureRandom random = new SecureRandom();

    private ChannelBaseDirectory(final Path path, final boolean owned) {
        this.path = path;
        this.owned = owned;
    }

    /** Uses {@code configured}, or a fresh temporary directory when it is {@code null}. */
    static ChannelBaseDirectory of(final Path configured) {
        try {
            if (configured == null) {
                return new ChannelBaseDirectory(Files.createTempDirectory("fabric-embedded-chaincodes-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))), true);
            }
            final Path base = configured.toAbsolutePath().normalize();
            Files.createDirectories(base);
            final int stale = ChannelDirectory.cleanStale(base);
            if (stale > 0) {
                LOG.info("deleted {} stale chaincode channel directories under {}", stale, base);
            }
            return new ChannelBaseDirectory(base, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the chaincode channel directory "
                    + (configured == null ? "(temporary)" : configured) + ": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** A path for a new channel directory, not yet existing, e.g. {@code <base>/mycc-1.0-3f9c2a7e}. */
    Path newChannelDirectory(final String name, final String version) {
        while (true) {
            final byte[] suffix = new byte[4];
            random.nextBytes(suffix);
            final Path dir = path.resolve(name + "-" + version + "-" + HexFormat.of().formatHex(suffix));
            if (!Files.exists(dir)) {
                return dir;
            }
        }
    }

    /** Deletes the base directory if this runtime created it. */
    @Override
    public void close() {
        if (!owned) {
            return;
        }
        try {
            FileTree.delete(path);
        } catch (IOException e) {
            LOG.warn("could not delete the chaincode channel directory {}: {}", path, e.toString());
        }
    }
}
