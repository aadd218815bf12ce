package dev.fabricembedded.endorser.chaincode;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of one launch of a chaincode (Fabric's {@code LaunchState}), shared by every transaction waiting for
 * that chaincode to be ready: the first notification wins, later ones are ignored. Thread-safe.
 */
final class LaunchState {

    private final CompletableFuture<Optional<String>> outcome = new CompletableFuture<>();

    /** Marks the launch done: {@code error} null means READY was sent, otherwise it says why the launch failed. */
    void notify(final String error) {
        outcome.complete(Optional.ofNullable(error));
    }

    boolean isDone() {
        return outcome.isDone();
    }

    /** Completes when the launch is done, with the failure if it failed. */
    CompletableFuture<Optional<String>> outcome() {
        return outcome;
    }

    /**
     * Waits for the outcome.
     *
     * @return empty if the chaincode is ready, else the failure; {@code null} if the wait timed out
     */
    Optional<String> await(final long nanos) throws InterruptedException {
        try {
            return outcome.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("launch states never fail exceptionally", e);
        }
    }
}
