package dev.fabricembedded.peer;

import java.nio.file.Path;

/**
 * Run as a separate JVM by {@link PeerLifecycleTest}: tries to lock a peer data directory and exits with 0 if it got
 * the lock, 3 with the {@link PeerInUseException} message on stderr if another process holds it.
 */
public final class LockProbe {

    private LockProbe() {
    }

    public static void main(final String[] args) {
        try (PeerDirectory directory = PeerDirectory.lock(Path.of(args[0]))) {
            System.exit(0);
        } catch (PeerInUseException e) {
            System.err.println(e.getMessage());
            System.exit(3);
        }
    }
}
