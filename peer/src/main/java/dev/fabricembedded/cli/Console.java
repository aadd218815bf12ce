package dev.fabricembedded.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;

/**
 * What a command prints on standard output: result lines, and long steps as progress lines with their timing
 * ({@code install example02 1.0 on peer0.org1.example.com ... 412 ms}). The step's name is printed and flushed
 * before it starts, so a user watching a slow step sees what it is waiting for.
 *
 * <p>Errors do not go here: they are one line on standard error, written by {@link FabricEmbeddedCli}.
 * Used by the command's thread only.
 */
final class Console {

    /** Work timed by {@link #step}. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    private final PrintWriter out;

    Console(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Prints a line. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Prints a formatted line ({@link String#format} in the root locale). */
    void line(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }

    /**
     * Runs a step, printing {@code "<name> ... "} before and its duration after it (or {@code failed after X} before
     * the exception propagates).
     */
    <T> T step(String name, Step<T> step) throws Exception {
        out.print(name + " ... ");
        out.flush();
        long start = System.nanoTime();
        try {
            T result = step.run();
            line(duration(System.nanoTime() - start));
            return result;
        } catch (Exception | Error e) {
            line("failed after " + duration(System.nanoTime() - start));
            throw e;
        }
    }

    /** A duration for people: {@code 850 µs}, {@code 42 ms}, {@code 1.27 s}. */
    static String duration(long nanos) {
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + " µs";
        }
        if (nanos < 10_000_000_000L) {
            return nanos >= 1_000_000_000 ? String.format(Locale.ROOT, "%.2f s", nanos / 1e9)
                    : (nanos / 1_000_000) + " ms";
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
