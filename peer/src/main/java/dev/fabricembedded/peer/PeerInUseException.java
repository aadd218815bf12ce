package dev.fabricembedded.peer;

import java.io.Serial;
import java.nio.file.Path;

/**
 * The peer data directory is already open by another {@link Peer}, in this process or another one.
 *
 * <p>One peer per data directory: its ledgers, installed packages and chaincode channel directories have a single
 * owner. The check is an OS file lock on {@code <data>/peer.lock}, released by the kernel when the holder dies (even
 * by {@code kill -9}), so a crashed peer never blocks the next open.
 */
public final class PeerInUseException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public PeerInUseException(final Path directory, final String holder) {
        super("peer data directory " + directory + " is in use" + (holder.isEmpty() ? "" : " by " + holder)
                + "; close the other peer first, only one peer may open a data directory");
        this.directory = directory;
    }

    /** The data directory that is locked. */
    public Path directory() {
        return directory;
    }
}
