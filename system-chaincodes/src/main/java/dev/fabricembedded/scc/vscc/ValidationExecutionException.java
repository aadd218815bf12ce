package dev.fabricembedded.scc.vscc;

/**
 * Validation could not be carried out (Fabric's {@code VSCCExecutionFailureError}): the committed state could not be
 * read, or a stored definition is corrupt, or the named plugin does not exist. The committer must not commit the
 * block: the outcome would depend on this peer's failure rather than on the transaction.
 */
public class ValidationExecutionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ValidationExecutionException(String message) {
        super(message);
    }

    public ValidationExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
