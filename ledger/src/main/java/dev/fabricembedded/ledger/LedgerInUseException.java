package dev.fabricembedded.ledger;

import java.nio.file.Path;

/**
 * The ledger (or block store) directory is already open, in this process or another one.
 *
 * <p>One process per directory: Chronicle Map would let two processes share the files, but the ledger keeps
 * in-memory indexes (sorted keys, chain head) that only a single writer can keep true. The check is an OS
 * file lock, so it is released by the kernel when the holder dies, even by {@code kill -9}.
 */
public final class LedgerInUseException extends LedgerException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public LedgerInUseException(final Path directory, final String holder) {
        super("directory " + directory + " is in use by another ledger instance"
                + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; close it first, only one ledger instance may open a directory");
        this.directory = directory;
    }

    /** The directory that is locked. */
    public Path directory() {
        return directory;
    }
}
