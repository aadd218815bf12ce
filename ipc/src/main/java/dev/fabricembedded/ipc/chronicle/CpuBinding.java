package dev.fabricembedded.ipc.chronicle;

/**
 * A thread at home on one CPU for a while ({@link Lane#bindToHomeCpu()}, {@link Lane#settleAtHome()}): pinned there
 * (closing the binding, on the same thread, gives the thread back the CPU mask it had before), or resident, found
 * running there and left unpinned (nothing to give back). An unbound binding ({@link #isBound()} {@code false}: no CPU
 * affinity on this platform, a lane without a home CPU, or a thread that may not run there) closes as a no-op.
 *
 * <p>Not thread-safe: made, used and closed by the bound thread, like the lane conversation it spans.
 */
public final class CpuBinding implements AutoCloseable {

    /** The binding that binds nothing. */
    static final CpuBinding NONE = new CpuBinding(-1, null, false);

    private final int cpu;
    private final boolean pinned;
    /** The mask to give back, or {@code null} when the thread was bound to this CPU alone before. */
    private final long[] previous;
    private final Thread thread;
    private boolean closed;

    CpuBinding(int cpu, long[] previous, boolean pinned) {
        this.cpu = cpu;
        this.previous = previous;
        this.pinned = pinned;
        this.thread = cpu < 0 ? null : Thread.currentThread();
    }

    /**
     * For the first thing a new thread does when a thread bound to one CPU may have started it (a pool that grows on
     * demand, submitted to during a lane conversation): a Linux thread inherits the CPU mask of the thread that started
     * it, and so would every thread and process it starts in turn. Gives the calling thread the process's CPUs (its
     * main thread's mask, {@link CpuAffinity#processCpus()}) when its own mask is a single CPU of several; does nothing
     * otherwise, or without CPU affinity on this platform.
     */
    public static void dropInherited() {
        long[] mask = CpuAffinity.currentMask();
        long[] process = CpuAffinity.processMask();
        if (mask != null && process != null && CpuAffinity.cpusOf(mask).length == 1
                && CpuAffinity.cpusOf(process).length > 1) {
            CpuAffinity.restore(process);
        }
    }

    /**
     * {@code task}, run after {@link #dropInherited()}: the body of a thread a pool may start on demand from a bound
     * thread ({@code new Thread(CpuBinding.droppingInherited(runnable), name)} in its thread factory).
     */
    public static Runnable droppingInherited(Runnable task) {
        return () -> {
            dropInherited();
            task.run();
        };
    }

    /** Whether the thread is at home on {@link #cpu()}, pinned or resident, until this binding is closed. */
    public boolean isBound() {
        return cpu >= 0 && !closed;
    }

    /** Whether the thread's CPU mask is {@link #cpu()} alone (rather than resident there by the scheduler's choice). */
    public boolean isPinned() {
        return pinned && isBound();
    }

    /** Whether the calling thread is the bound one and the binding is not closed. */
    boolean bindsCurrentThread() {
        return isBound() && thread == Thread.currentThread();
    }

    /** The CPU the thread is bound to, or {@code -1} for an unbound binding. */
    public int cpu() {
        return cpu;
    }

    /**
     * Gives the thread its CPU mask of before. Idempotent.
     *
     * @throws IllegalStateException if called by another thread than the bound one (the mask is a thread's own)
     */
    @Override
    public void close() {
        if (cpu < 0 || closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a CPU binding of thread " + thread.getName() + " closed by thread "
                    + Thread.currentThread().getName());
        }
        closed = true;
        if (previous != null) {
            CpuAffinity.restore(previous);
        }
    }

    @Override
    public String toString() {
        return cpu < 0 ? "CpuBinding[none]"
                : "CpuBinding[cpu " + cpu + (pinned ? ", pinned" : ", resident") + (closed ? ", closed]" : "]");
    }
}
