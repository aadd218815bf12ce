package dev.fabricembedded.ipc.chronicle;

import com.sun.jna.Native;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calling thread's CPU and CPU affinity, on Linux (elsewhere, or when the native calls cannot be linked, every
 * method answers "unknown" and binds nothing): what {@link Lane}s use to keep the two threads of a conversation on one
 * CPU.
 *
 * <p>Why: a conversation on a lane is a strict ping-pong between a thread of each process, so only one of the two ever
 * has work. When the woken thread is on the CPU its partner just left, the hand-off costs a context switch (a pipe
 * round trip between two processes pinned to one vCPU of the reference machine: 5.2 µs); when the scheduler wakes it
 * on another, idle CPU, that CPU must first leave its idle state, which on a virtual machine whose idle vCPUs halt is
 * a trip through the hypervisor (the same round trip across two vCPUs: 47 µs, and 46 µs unpinned, because the
 * scheduler prefers the idle CPU). A conversation's three round trips then spend more time waking than working.
 *
 * <p>The calls are JNA direct mappings of glibc's {@code sched_getcpu}, {@code sched_getaffinity} and
 * {@code sched_setaffinity} on the calling thread (pid 0); JNA comes with Chronicle. {@code sched_getcpu} costs tens of
 * nanoseconds; a bind and its restore cost ~5 µs together on the reference VM when the thread is already on the CPU
 * (kernel work), and ~37 µs when it must move to another vCPU, which is why callers pick the lane at home on their CPU.
 * Masks are {@value #MASK_WORDS} words (1,024 CPUs, glibc's {@code cpu_set_t}). Stateless and thread-safe: every call
 * concerns the calling thread only.
 */
final class CpuAffinity {

    private static final Logger LOG = LoggerFactory.getLogger(CpuAffinity.class);
    static final int MASK_WORDS = 16;
    private static final long MASK_BYTES = MASK_WORDS * 8L;

    private CpuAffinity() {
    }

    /** Whether this platform's calls are linked: Linux with JNA's native library loadable. */
    static boolean available() {
        return Libc.LINKED;
    }

    /** The CPU the calling thread runs on now, or {@code -1} if unknown. */
    static int currentCpu() {
        if (!Libc.LINKED) {
            return -1;
        }
        int cpu = Libc.sched_getcpu();
        return cpu >= 0 ? cpu : -1;
    }

    /** The calling thread's CPU mask ({@value #MASK_WORDS} words, bit {@code c} = CPU {@code c}), or {@code null} if unknown. */
    static long[] currentMask() {
        return maskOf(0);
    }

    /**
     * The CPUs the process may run on, in ascending order: the mask of its main thread (the thread whose id is the
     * process id), which a thread of ours that is bound for a while does not narrow; empty if unknown.
     */
    static int[] processCpus() {
        long[] mask = processMask();
        return mask == null ? new int[0] : cpusOf(mask);
    }

    /** The mask of {@link #processCpus()}, or {@code null} if unknown. */
    static long[] processMask() {
        return maskOf((int) ProcessHandle.current().pid());
    }

    /**
     * Binds the calling thread to {@code cpu} until the returned binding is closed, which gives the thread back its
     * mask of before. Binds nothing (an unbound binding) when {@code cpu} is negative, the calls are unavailable, or the
     * thread may not run on {@code cpu} now (the application, a container or an outer binding excludes it: those limits
     * are never widened); a thread whose mask is {@code cpu} alone already is bound, with nothing to restore.
     */
    static CpuBinding bind(int cpu) {
        if (cpu < 0 || cpu >= MASK_WORDS * 64 || !Libc.LINKED) {
            return CpuBinding.NONE;
        }
        long[] previous = currentMask();
        if (previous == null || !contains(previous, cpu)) {
            return CpuBinding.NONE;
        }
        long[] only = new long[MASK_WORDS];
        only[cpu >>> 6] = 1L << (cpu & 63);
        if (Arrays.equals(previous, only)) {
            return new CpuBinding(cpu, null, true);
        }
        if (Libc.sched_setaffinity(0, MASK_BYTES, only) != 0) {
            LOG.debug("cannot bind thread {} to CPU {} (errno {})", Thread.currentThread().getName(), cpu,
                    Native.getLastError());
            return CpuBinding.NONE;
        }
        return new CpuBinding(cpu, previous, true);
    }

    /**
     * The calling thread at home on {@code cpu} for a while: resident (no system call, nothing pinned) when it runs there
     * now, else {@linkplain #bind bound} there. For a thread that will not sleep long on that CPU (so the scheduler has
     * no wake-up at which to place it elsewhere) and whose binding would cost more than it saves when it is there
     * already.
     */
    static CpuBinding settle(int cpu) {
        if (cpu >= 0 && currentCpu() == cpu) {
            return new CpuBinding(cpu, null, false);
        }
        return bind(cpu);
    }

    /** Gives the calling thread {@code mask} again (a binding's close). */
    static void restore(long[] mask) {
        if (Libc.sched_setaffinity(0, MASK_BYTES, mask) != 0) {
            LOG.warn("cannot restore the CPU mask of thread {} (errno {})", Thread.currentThread().getName(),
                    Native.getLastError());
        }
    }

    /** The CPUs of a mask, ascending. */
    static int[] cpusOf(long[] mask) {
        int count = 0;
        for (long word : mask) {
            count += Long.bitCount(word);
        }
        int[] cpus = new int[count];
        int i = 0;
        for (int w = 0; w < mask.length; w++) {
            long word = mask[w];
            while (word != 0) {
                cpus[i++] = w * 64 + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return cpus;
    }

    private static boolean contains(long[] mask, int cpu) {
        return (mask[cpu >>> 6] & (1L << (cpu & 63))) != 0;
    }

    private static long[] maskOf(int pid) {
        if (!Libc.LINKED) {
            return null;
        }
        long[] mask = new long[MASK_WORDS];
        return Libc.sched_getaffinity(pid, MASK_BYTES, mask) == 0 ? mask : null;
    }

    /** glibc's calls, linked once on first use; {@link #LINKED} is {@code false} where that is impossible. */
    private static final class Libc {

        static final boolean LINKED = link();

        private static boolean link() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                return false;
            }
            try {
                Native.register(Libc.class, "c");
                return sched_getcpu() >= 0;
            } catch (LinkageError | RuntimeException e) {
                LOG.info("CPU affinity unavailable ({}); lanes run without binding their threads to a CPU", e.toString());
                return false;
            }
        }

        static native int sched_getcpu();

        static native int sched_getaffinity(int pid, long size, long[] mask);

        static native int sched_setaffinity(int pid, long size, long[] mask);
    }
}
