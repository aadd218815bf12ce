package dev.fabricembedded.cli;

/**
 * A command ran but its outcome is a failure the user must see (a transaction committed as invalid, an endorsement
 * with an error status): the command has printed what it got, and {@link FabricEmbeddedCli} prints this message as
 * the one error line and exits with status 1. No stack trace: nothing went wrong in the program.
 */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message, null, false, false);
    }
}
