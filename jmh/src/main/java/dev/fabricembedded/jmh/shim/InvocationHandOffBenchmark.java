package dev.fabricembedded.jmh.shim;

import dev.fabricembedded.shim.impl.InvocationWorkers;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The chaincode process's hand-off of an invocation from the event-loop thread to a worker, alone: the time from
 * {@code execute} to the task running on the worker (sample mode; the JMH thread plays the event loop and spins until
 * the task has stamped that it started).
 *
 * <p>{@code pool}: {@code threadPoolExecutor} is the baseline, configured as the shim's pool was (5 threads, a
 * 5,000-slot {@code ArrayBlockingQueue}); {@code invocationWorkers} is {@link InvocationWorkers} with its default idle
 * poll of 20 µs, {@code invocationWorkersNoPoll} the same without polling (every hand-off wakes a parked worker).
 * {@code gapMicros}: the time between two invocations, outside the measured time (a {@code Level.Invocation} setup
 * that parks the JMH thread, as an event loop waiting for the next frame would): 5 µs is a dense stream within the
 * poll window (invocations from several client threads), 300 µs a sparse one (one client thread: an endorsement
 * takes a few hundred µs), where the idle worker has parked whatever the pool.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
@State(Scope.Thread)
public class InvocationHandOffBenchmark {

    @Param({"threadPoolExecutor", "invocationWorkers", "invocationWorkersNoPoll"})
    public String pool;

    @Param({"5", "300"})
    public long gapMicros;

    private Executor executor;
    private Runnable stop;
    private volatile long started;
    private final Runnable stamp = () -> started = System.nanoTime();

    @Setup(Level.Trial)
    public void open() {
        switch (pool) {
            case "threadPoolExecutor" -> {
                final AtomicInteger next = new AtomicInteger();
                final ThreadPoolExecutor tpe = new ThreadPoolExecutor(5, 5, 0L, TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(5000), r -> {
                            final Thread thread = new Thread(r, "bench-tpe-worker-" + next.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        }, new ThreadPoolExecutor.AbortPolicy());
                executor = tpe;
                stop = tpe::shutdownNow;
            }
            case "invocationWorkers", "invocationWorkersNoPoll" -> {
                final InvocationWorkers workers = new InvocationWorkers("bench:1", 5, 5000,
                        pool.equals("invocationWorkers") ? Duration.ofNanos(20_000) : Duration.ZERO,
                        Duration.ofSeconds(5));
                executor = workers;
                stop = workers::close;
            }
            default -> throw new IllegalArgumentException("unknown pool " + pool);
        }
    }

    /** The pause between two invocations, not measured. */
    @Setup(Level.Invocation)
    public void gap() {
        final long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(gapMicros);
        if (gapMicros > 100) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(gapMicros - 100)); // timer slack: up to ~60 µs late
        }
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        stop.run();
    }

    @Benchmark
    public long handOff() {
        started = 0L;
        executor.execute(stamp);
        long at;
        while ((at = started) == 0L) {
            Thread.onSpinWait();
        }
        return at;
    }
}
