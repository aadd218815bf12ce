package dev.fabricembedded.endorser.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Captures what the test JVM's SLF4J simple binding writes (it writes to {@code System.err}, looked up at every
 * line), while still passing it on. Use with try-with-resources; it restores {@code System.err}.
 */
final class LogCapture implements AutoCloseable {

    private final PrintStream original;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private LogCapture() {
        this.original = System.err;
        final OutputStream tee = new OutputStream() {
            @Override
            public void write(final int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    static LogCapture start() {
        return new LogCapture();
    }

    String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits (bounded) until the log holds {@code fragment}; returns whether it does. */
    boolean await(final String fragment, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!text().contains(fragment)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
