package dev.fabricembedded.peer.network;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The network data directory is open in another process (or another {@link EmbeddedNetwork} of this one).
 *
 * <p>One process per network: its orderer and peers keep in-memory indexes only a single writer can keep true. The
 * check is an OS file lock, which the kernel releases when the holder dies, even by {@code kill -9}, so a crashed
 * command never blocks the next one.
 */
public final class NetworkInUseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final long pid;

    /**
     * @param directory the network data directory
     * @param pid       the process holding it, or -1 when unknown
     */
    public NetworkInUseException(Path directory, long pid, Throwable cause) {
        super("data directory " + directory + " is in use by " + (pid > 0 ? "process " + pid : "another process")
                + "; wait for it to finish, only one process may open a network at a time", cause);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.pid = pid;
    }

    /** The locked directory. */
    public Path directory() {
        return directory;
    }

    /** The process holding the directory, if it could be read from the lock file. */
    public OptionalLong pid() {
        return pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
    }
}
