package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The calling thread's CPU and binding, with the real system calls (Linux): a binding keeps the thread on its CPU and
 * closing it gives the thread its mask back; a CPU the thread may not use is never bound (limits are not widened);
 * nesting, and closing from another thread. Tests of binding need the calls ({@code assumeTrue}: skipped elsewhere).
 */
class CpuAffinityTest {

    private static void assumeAvailable() {
        assumeTrue(CpuAffinity.available(), "CPU affinity calls are not available on this platform (Linux only)");
    }

    private static long[] maskOf(int... cpus) {
        long[] mask = new long[CpuAffinity.MASK_WORDS];
        for (int cpu : cpus) {
            mask[cpu >>> 6] |= 1L << (cpu & 63);
        }
        return mask;
    }

    @Test
    void theCpusOfAMaskAreListedInOrderAcrossWords() {
        assertThat(CpuAffinity.cpusOf(maskOf(0, 3, 63, 64, 130, 1023))).containsExactly(0, 3, 63, 64, 130, 1023);
        assertThat(CpuAffinity.cpusOf(new long[CpuAffinity.MASK_WORDS])).isEmpty();
    }

    @Test
    void theCallingThreadRunsOnACpuOfTheProcess() {
        assumeAvailable();
        int[] cpus = CpuAffinity.processCpus();
        assertThat(cpus).isNotEmpty().hasSizeGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(cpus).contains(CpuAffinity.currentCpu());
        assertThat(CpuAffinity.cpusOf(CpuAffinity.currentMask())).contains(CpuAffinity.currentCpu());
    }

    @Test
    void aBindingKeepsTheThreadOnItsCpuUntilClosedThenGivesTheMaskBack() throws Exception {
        assumeAvailable();
        long[] before = CpuAffinity.currentMask();
        int[] allowed = CpuAffinity.cpusOf(before);
        int target = allowed[allowed.length - 1];
        try (CpuBinding binding = CpuAffinity.bind(target)) {
            assertThat(binding.isBound()).isTrue();
            assertThat(binding.cpu()).isEqualTo(target);
            assertThat(CpuAffinity.cpusOf(CpuAffinity.currentMask())).containsExactly(target);
            for (int i = 0; i < 1_000; i++) {
                assertThat(CpuAffinity.currentCpu()).isEqualTo(target);
                if (i % 100 == 0) {
                    Thread.sleep(1); // woken again: still there
                }
            }
            assertThat(binding.bindsCurrentThread()).isTrue();
        }
        assertThat(CpuAffinity.currentMask()).isEqualTo(before);
    }

    @Test
    void aCpuTheThreadMayNotUseIsNeverBoundAndNestingNeverWidens() {
        assumeAvailable();
        long[] before = CpuAffinity.currentMask();
        int[] allowed = CpuAffinity.cpusOf(before);
        assertThat(CpuAffinity.bind(-1).isBound()).isFalse();
        assertThat(CpuAffinity.bind(CpuAffinity.MASK_WORDS * 64).isBound()).as("beyond any mask").isFalse();
        int outside = 0;
        while (outside < CpuAffinity.MASK_WORDS * 64 && (before[outside >>> 6] & (1L << (outside & 63))) != 0) {
            outside++;
        }
        CpuBinding refused = CpuAffinity.bind(outside);
        assertThat(refused.isBound()).as("CPU %d is not in this thread's mask", outside).isFalse();
        refused.close();
        assertThat(CpuAffinity.currentMask()).isEqualTo(before);

        int first = allowed[0];
        try (CpuBinding outer = CpuAffinity.bind(first)) {
            assertThat(outer.isBound()).isTrue();
            if (allowed.length > 1) {
                CpuBinding other = CpuAffinity.bind(allowed[1]);
                assertThat(other.isBound()).as("the outer binding excludes CPU %d", allowed[1]).isFalse();
                other.close();
            }
            try (CpuBinding same = CpuAffinity.bind(first)) {
                assertThat(same.isBound()).as("already there: bound, nothing to restore").isTrue();
            }
            assertThat(CpuAffinity.cpusOf(CpuAffinity.currentMask())).as("the inner close keeps the outer binding")
                    .containsExactly(first);
        }
        assertThat(CpuAffinity.currentMask()).isEqualTo(before);
    }

    @Test
    void onlyTheBoundThreadMayCloseItsBindingAndClosingTwiceIsHarmless() throws Exception {
        assumeAvailable();
        long[] before = CpuAffinity.currentMask();
        CpuBinding binding = CpuAffinity.bind(CpuAffinity.currentCpu());
        try {
            assertThat(binding.isBound()).isTrue();
            CompletableFuture<Throwable> elsewhere = CompletableFuture.supplyAsync(() -> {
                try {
                    binding.close();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(elsewhere.get(60, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed by thread");
            assertThat(binding.isBound()).isTrue();
        } finally {
            binding.close();
        }
        binding.close();
        assertThat(binding.isBound()).isFalse();
        assertThat(CpuAffinity.currentMask()).isEqualTo(before);
    }

    @Test
    void aThreadStartedByABoundThreadInheritsItsCpuUntilItDropsIt() throws Exception {
        assumeAvailable();
        int[] cpus = CpuAffinity.processCpus();
        assumeTrue(cpus.length >= 2, "needs two CPUs");
        CompletableFuture<int[][]> masks = new CompletableFuture<>();
        try (CpuBinding bound = CpuAffinity.bind(cpus[cpus.length - 1])) {
            assertThat(bound.isBound()).isTrue();
            Thread started = new Thread(() -> {
                int[] inherited = CpuAffinity.cpusOf(CpuAffinity.currentMask());
                CpuBinding.dropInherited();
                masks.complete(new int[][] {inherited, CpuAffinity.cpusOf(CpuAffinity.currentMask())});
            }, "started-while-bound");
            started.start();
            started.join();
        }
        int[][] beforeAndAfter = masks.get(60, TimeUnit.SECONDS);
        assertThat(beforeAndAfter[0]).as("inherited").containsExactly(cpus[cpus.length - 1]);
        assertThat(beforeAndAfter[1]).as("dropped").containsExactly(cpus);
        long[] mine = CpuAffinity.currentMask();
        CpuBinding.dropInherited();
        assertThat(CpuAffinity.currentMask()).as("an unbound thread is left as it is").isEqualTo(mine);
    }
}
