package dev.fabricembedded.ledger.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hit counter: exact for one thread and for threads on distinct stripes. */
class HitCounterTest {

    @Test
    void oneThreadsCountIsExact() {
        final HitCounter counter = new HitCounter();
        for (int i = 0; i < 12_345; i++) {
            counter.increment();
        }
        assertThat(counter.sum()).isEqualTo(12_345);
    }

    @Test
    void threadsOnDistinctStripesLoseNothing() throws Exception {
        final HitCounter counter = new HitCounter();
        final List<Thread> threads = new ArrayList<>();
        final Set<Integer> stripes = new HashSet<>();
        for (int t = 0; t < 4; t++) {
            final Thread thread = new Thread(() -> {
                for (int i = 0; i < 100_000; i++) {
                    counter.increment();
                }
            }, "hit-counter-test-" + t);
            threads.add(thread);
            stripes.add(HitCounter.stripe(thread));
        }
        assumeTrue(stripes.size() == threads.size(), "the test's threads happen to share a stripe");
        for (Thread thread : threads) {
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(counter.sum()).isEqualTo(400_000);
    }
}
