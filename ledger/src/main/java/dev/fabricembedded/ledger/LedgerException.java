package dev.fabricembedded.ledger;

/**
 * A ledger operation failed for a reason other than a bad argument: an I/O error, a corrupt store, a store
 * that is ahead of the block store, a closed ledger.
 *
 * <p>Unchecked because no caller can do better than report it; the message names the ledger, the file or
 * the block concerned. Whatever raised it has not applied a partial change: a failed commit leaves the
 * ledger at its previous height, a failed open leaves the files as they were (except a torn tail dropped
 * by recovery, which never held a committed block).
 */
public class LedgerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LedgerException(final String message) {
        super(message);
    }

    public LedgerException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
