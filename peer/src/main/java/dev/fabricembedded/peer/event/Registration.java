package dev.fabricembedded.peer.event;

/**
 * A listener registration: closing it removes the listener. A listener being called while it is closed finishes
 * that call; it receives nothing afterwards. Idempotent and thread-safe.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Removes the listener. */
    @Override
    void close();
}
