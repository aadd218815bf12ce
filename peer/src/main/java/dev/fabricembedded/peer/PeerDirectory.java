package dev.fabricembedded.peer;

import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer's data directory, locked for the lifetime of the peer. Layout:
 * <pre>
 * &lt;data&gt;/peer.lock                       the lock (holder's pid)
 * &lt;data&gt;/ledgers/&lt;channel&gt;/               one ledger per joined channel
 * &lt;data&gt;/chaincodes/                      installed packages (FileChaincodePackageStore)
 * &lt;data&gt;/chaincode-channels/              IPC queue directories of running chaincodes
 * &lt;data&gt;/chaincode-packages/              code packages of running chaincodes, written out per launch
 * &lt;data&gt;/channels/&lt;channel&gt;.genesis.block  the genesis block of each joined channel
 * </pre>
 * Genesis blocks are written atomically (temporary file, sync, rename), so a channel is joined on disk exactly when
 * its file exists. Not thread-safe: the peer calls it under its own lock.
 */
final class PeerDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);
    static final String LOCK_FILE = "peer.lock";
    static final String GENESIS_SUFFIX = ".genesis.block";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private PeerDirectory(final Path root, final FileChannel lockChannel, final FileLock lock) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws PeerInUseException   when another peer holds it
     * @throws UncheckedIOException when it cannot be created or locked
     */
    static PeerDirectory lock(final Path root) {
        final Path dir = root.toAbsolutePath().normalize();
        final FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or write peer data directory " + dir + ": " + e, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another peer of this JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock peer data directory " + dir + ": " + e, e);
        }
        if (lock == null) {
            final String holder = holder(channel);
            closeQuietly(channel);
            throw new PeerInUseException(dir, holder);
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            for (final Path sub : List.of(dir.resolve("ledgers"), dir.resolve("chaincodes"),
                    dir.resolve("channels"))) {
                Files.createDirectories(sub);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot write peer data directory " + dir + ": " + e, e);
        }
        return new PeerDirectory(dir, channel, lock);
    }

    private static String holder(final FileChannel channel) {
        try {
            final ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim()
                    .replace("pid", "process");
        } catch (IOException e) {
            return "";
        }
    }

    Path root() {
        return root;
    }

    Path ledger(final String channelId) {
        return root.resolve("ledgers").resolve(channelId);
    }

    Path chaincodes() {
        return root.resolve("chaincodes");
    }

    Path chaincodeChannels() {
        return root.resolve("chaincode-channels");
    }

    /** The code packages of running chaincodes, written out per launch; emptied when the peer opens. */
    Path chaincodePackages() {
        return root.resolve("chaincode-packages");
    }

    Path genesisBlockFile(final String channelId) {
        return root.resolve("channels").resolve(channelId + GENESIS_SUFFIX);
    }

    /** The ids of the channels whose genesis block is stored, sorted. */
    List<String> joinedChannels() {
        final List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root.resolve("channels"), "*" + GENESIS_SUFFIX)) {
            for (final Path file : files) {
                final String name = file.getFileName().toString();
                ids.add(name.substring(0, name.length() - GENESIS_SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the joined channels in " + root.resolve("channels"), e);
        }
        ids.sort(null);
        return ids;
    }

    /** Reads a stored genesis block. */
    Block readGenesisBlock(final String channelId) {
        final Path file = genesisBlockFile(channelId);
        try {
            return Block.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the genesis block of channel " + channelId + " from " + file
                    + ": " + e.getMessage(), e);
        }
    }

    /** Stores a genesis block atomically: temporary file, sync, rename. */
    void writeGenesisBlock(final String channelId, final Block genesisBlock) {
        final Path file = genesisBlockFile(channelId);
        final Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(genesisBlock.toByteArray()));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot store the genesis block of channel " + channelId + " in " + file
                    + ": " + e.getMessage(), e);
        }
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("releasing the lock of {} failed: {}", root, e.toString());
        } finally {
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", channel, e);
        }
    }
}
