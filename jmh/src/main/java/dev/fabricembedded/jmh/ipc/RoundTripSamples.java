package dev.fabricembedded.jmh.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Every round-trip time of a handler-driven ping-pong trial, exactly, for its percentiles: JMH's own
 * distribution ({@code Mode.SampleTime}) times the benchmark thread, which in a handler-driven ping-pong only
 * starts and awaits a run of round trips done by the event-loop threads.
 *
 * <p>The thread doing the round trips writes each one into a preallocated per-invocation array (no allocation,
 * no lock on the hot path); the benchmark thread appends that array to the trial's samples after the invocation
 * (a copy of {@code roundTrips} longs, a few microseconds, inside the invocation's time but outside every
 * round trip's). Warm-up iterations are not kept. Samples beyond {@link #CAPACITY} are counted and dropped.
 */
final class RoundTripSamples {

    /** 16 M samples (128 MiB): more than 3 x 2 s of 0.4 µs round trips. */
    static final int CAPACITY = 16 * 1024 * 1024;

    private final long[] invocation;
    private long[] trial;
    private int size;
    private int iterationStart;
    private long dropped;

    RoundTripSamples(int roundTripsPerInvocation) {
        this.invocation = new long[roundTripsPerInvocation];
    }

    /** The per-invocation array: element {@code i} is the {@code i}-th round trip's time in nanoseconds. */
    long[] invocation() {
        return invocation;
    }

    /** Keeps the invocation's samples (measurement iterations only). */
    void keepInvocation() {
        if (trial == null) {
            trial = new long[CAPACITY];
        }
        int room = Math.min(invocation.length, trial.length - size);
        System.arraycopy(invocation, 0, trial, size, room);
        size += room;
        dropped += invocation.length - room;
    }

    /** Percentiles of the samples kept since the previous call (one measurement iteration). */
    String iterationSummary() {
        String summary = summary(Arrays.copyOfRange(trial == null ? new long[0] : trial, iterationStart, size));
        iterationStart = size;
        return summary;
    }

    /** Percentiles of the whole trial. */
    String trialSummary() {
        return summary(Arrays.copyOf(trial == null ? new long[0] : trial, size))
                + (dropped > 0 ? ", " + dropped + " more dropped (capacity)" : "");
    }

    /** One CSV line: round trips, then p50, p90, p99, p99.9, max in microseconds. */
    String trialCsv() {
        long[] sorted = Arrays.copyOf(trial == null ? new long[0] : trial, size);
        Arrays.sort(sorted);
        return sorted.length + "," + micros(percentile(sorted, 50)) + "," + micros(percentile(sorted, 90)) + ","
                + micros(percentile(sorted, 99)) + "," + micros(percentile(sorted, 99.9)) + ","
                + micros(sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    private static String summary(long[] samples) {
        Arrays.sort(samples);
        return String.format(Locale.ROOT, "%d round trips, µs: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s",
                samples.length, micros(percentile(samples, 50)), micros(percentile(samples, 90)),
                micros(percentile(samples, 99)), micros(percentile(samples, 99.9)),
                micros(samples.length == 0 ? 0 : samples[samples.length - 1]));
    }

    /** Nearest-rank percentile of sorted samples. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1000.0);
    }

    /** Appends {@code line} to {@code file}, creating it with {@code header} if it does not exist. */
    static void append(Path file, String header, String line) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, header + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
