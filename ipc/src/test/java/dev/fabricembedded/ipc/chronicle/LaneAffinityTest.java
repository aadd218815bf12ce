package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.RecordingHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lanes' home CPUs ({@link ChronicleChannelBuilder#laneAffinity}): the creator gives lane {@code i} the {@code i}-th
 * CPU of the process (modulo their count) and records it so the attacher agrees; a caller gets the free lane at home
 * on its own CPU first; an owner bound to the home CPU sleeps at once instead of polling, and gets its mask back when
 * the binding closes; without affinity lanes have no home. Real system calls (Linux); skipped where unavailable.
 */
class LaneAffinityTest {

    /** A strategy that blocks only after ~forever: an owner that is not at home polls (and parks) rather than sleeps. */
    private static final WaitStrategy POLL_LONG = WaitStrategy.spinYieldPark(10, 10, Duration.ofMillis(1),
            Duration.ofMillis(1), Integer.MAX_VALUE);

    @TempDir
    Path base;

    private static ChronicleChannelBuilder quiet(Path dir, String name) {
        return LaneTest.quiet(dir, name);
    }

    private static void awaitAsleep(Lane owner, String what) throws InterruptedException {
        LaneTest.await(owner::asleep, what);
    }

    private static void assumeAvailable() {
        assumeTrue(CpuAffinity.available(), "CPU affinity calls are not available on this platform (Linux only)");
    }

    @Test
    void eachLaneIsAtHomeOnACpuOfTheProcessTheSameAtBothEnds() {
        assumeAvailable();
        int[] cpus = CpuAffinity.processCpus();
        int count = cpus.length + 1; // one more lane than CPUs: the homes wrap around
        Path dir = base.resolve("homes");
        try (ChronicleChannel created = quiet(dir, "homes-p").lanes(count).create(new RecordingHandler());
             ChronicleChannel attached = quiet(dir, "homes-c").attach(new RecordingHandler())) {
            for (int i = 0; i < count; i++) {
                assertThat(created.lanes().get(i).homeCpu()).as("lane %d", i).isEqualTo(cpus[i % cpus.length]);
                assertThat(attached.lanes().get(i).homeCpu()).as("lane %d, attached", i)
                        .isEqualTo(created.lanes().get(i).homeCpu());
            }
        }
    }

    @Test
    void anAttacherReadingAMalformedListOfHomeCpusServesItsLanesWithoutAHome() throws Exception {
        Path dir = base.resolve("malformed");
        try (ChronicleChannel created = quiet(dir, "malformed-p").lanes(2).create(new RecordingHandler())) {
            Path properties = dir.resolve(ChannelDirectory.PROPERTIES);
            String text = Files.readString(properties).replaceAll("(?m)^lane\\.cpus=.*$", "")
                    + System.lineSeparator() + "lane.cpus=one,two" + System.lineSeparator();
            Files.writeString(properties, text);
            try (ChronicleChannel attached = quiet(dir, "malformed-c").attach(new RecordingHandler())) {
                assertThat(attached.lanes()).hasSize(2).allSatisfy(lane -> assertThat(lane.homeCpu()).isEqualTo(-1));
                attached.lanes().forEach(Lane::announceServed);
                Lane lane = created.tryAcquireLane();
                lane.send("still works".getBytes(StandardCharsets.UTF_8));
                Lane other = attached.lanes().get(created.lanes().indexOf(lane));
                assertThat(new String(other.receive(TimeUnit.SECONDS.toNanos(60)), StandardCharsets.UTF_8))
                        .isEqualTo("still works");
            }
        }
    }

    @Test
    void withoutAffinityLanesHaveNoHomeAndBindNothing() throws Exception {
        Path dir = base.resolve("nohome");
        try (ChronicleChannel created = quiet(dir, "nohome-p").lanes(2).laneAffinity(false)
                .create(new RecordingHandler())) {
            assertThat(Files.readString(dir.resolve(ChannelDirectory.PROPERTIES))).doesNotContain("lane.cpus");
            Lane lane = created.lanes().get(0);
            assertThat(lane.homeCpu()).isEqualTo(-1);
            try (CpuBinding binding = lane.bindToHomeCpu()) {
                assertThat(binding.isBound()).isFalse();
            }
        }
    }

    @Test
    void aCallerGetsTheFreeLaneAtHomeOnItsOwnCpuFirst() throws Exception {
        assumeAvailable();
        int[] cpus = CpuAffinity.processCpus();
        assumeTrue(cpus.length >= 2, "needs two CPUs");
        Path dir = base.resolve("prefer");
        try (ChronicleChannel created = quiet(dir, "prefer-p").lanes(cpus.length).create(new RecordingHandler());
             ChronicleChannel attached = quiet(dir, "prefer-c").attach(new RecordingHandler())) {
            attached.lanes().forEach(Lane::announceServed);
            for (int k = cpus.length - 1; k >= 0; k--) {
                Lane taken = acquireOn(created, cpus[k]);
                assertThat(taken).as("a caller on CPU %d", cpus[k]).isSameAs(created.lanes().get(k));
                created.releaseLane(taken);
            }
            // the lane at home on the caller's CPU taken: the caller gets another one rather than none
            Lane home = acquireOn(created, cpus[0]);
            Lane fallback = acquireOn(created, cpus[0]);
            assertThat(home).isSameAs(created.lanes().get(0));
            assertThat(fallback).isNotNull().isNotSameAs(home);
        }
    }

    private static Lane acquireOn(ChronicleChannel channel, int cpu) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try (CpuBinding onCpu = CpuAffinity.bind(cpu)) {
                assertThat(onCpu.isBound()).isTrue();
                return channel.tryAcquireLane();
            }
        }).get(60, TimeUnit.SECONDS);
    }

    @Test
    void anOwnerBoundAtHomeSleepsAtOnceAndGetsItsMaskBack() throws Exception {
        assumeAvailable();
        Path dir = base.resolve("sleep");
        try (ChronicleChannel created = quiet(dir, "sleep-p").lanes(1).waitStrategy(POLL_LONG)
                     .create(new RecordingHandler());
             ChronicleChannel attached = quiet(dir, "sleep-c").waitStrategy(POLL_LONG)
                     .attach(new RecordingHandler())) {
            attached.lanes().forEach(Lane::announceServed);
            Lane owner = created.tryAcquireLane();
            Lane other = attached.lanes().get(0);
            assertThat(owner.homeCpu()).isNotNegative();
            CompletableFuture<long[][]> masks = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                long[] before = CpuAffinity.currentMask();
                try (CpuBinding binding = owner.bindToHomeCpu()) {
                    assertThat(binding.isBound()).isTrue();
                    byte[] frame = owner.receive(TimeUnit.SECONDS.toNanos(60));
                    assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("answer");
                    assertThat(CpuAffinity.currentCpu()).isEqualTo(owner.homeCpu());
                } catch (Throwable e) {
                    masks.completeExceptionally(e);
                    return;
                }
                masks.complete(new long[][] {before, CpuAffinity.currentMask()});
            }, "bound-owner");
            receiver.start();
            awaitAsleep(owner, "the bound owner asleep on the bell");
            other.send("answer".getBytes(StandardCharsets.UTF_8));
            long[][] beforeAndAfter = masks.get(60, TimeUnit.SECONDS);
            assertThat(beforeAndAfter[1]).as("the mask given back").isEqualTo(beforeAndAfter[0]);
            receiver.join();
        }
    }

    @Test
    void aBoundOwnerAwaitingAReplyYieldsThenSleepsAndAClosedLaneEndsTheWait() throws Exception {
        assumeAvailable();
        Path dir = base.resolve("reply");
        try (ChronicleChannel created = quiet(dir, "reply-p").lanes(1).waitStrategy(POLL_LONG)
                     .create(new RecordingHandler());
             ChronicleChannel attached = quiet(dir, "reply-c").waitStrategy(POLL_LONG).attach(new RecordingHandler())) {
            attached.lanes().forEach(Lane::announceServed);
            Lane owner = created.tryAcquireLane();
            Lane other = attached.lanes().get(0);
            CompletableFuture<String> replies = new CompletableFuture<>();
            Thread receiver = new Thread(() -> {
                try (CpuBinding binding = owner.bindToHomeCpu()) {
                    assertThat(binding.isBound()).isTrue();
                    String first = new String(owner.awaitReply(TimeUnit.SECONDS.toNanos(60)), StandardCharsets.UTF_8);
                    try {
                        owner.awaitReply(TimeUnit.SECONDS.toNanos(60));
                        replies.complete(first + ", then a frame after the close");
                    } catch (ChannelClosedException e) {
                        replies.complete(first + ", then closed");
                    }
                } catch (Throwable e) {
                    replies.completeExceptionally(e);
                }
            }, "bound-awaiting");
            receiver.start();
            awaitAsleep(owner, "asleep once the yield budget is spent");
            other.send("late answer".getBytes(StandardCharsets.UTF_8));
            awaitAsleep(owner, "asleep again");
            other.close();
            assertThat(replies.get(60, TimeUnit.SECONDS)).isEqualTo("late answer, then closed");
            receiver.join();
        }
    }

    @Test
    void anOwnerOnTheHomeCpuSettlesThereUnpinnedAndOneThatMayNotRunThereIsNotSettled() throws Exception {
        assumeAvailable();
        int[] cpus = CpuAffinity.processCpus();
        Path dir = base.resolve("settle");
        try (ChronicleChannel created = quiet(dir, "settle-p").lanes(cpus.length).create(new RecordingHandler())) {
            Lane first = created.lanes().get(0);
            String outcome = CompletableFuture.supplyAsync(() -> {
                StringBuilder seen = new StringBuilder();
                try (CpuBinding onHome = CpuAffinity.bind(first.homeCpu())) {
                    assertThat(onHome.isPinned()).isTrue();
                    try (CpuBinding settled = first.settleAtHome()) {
                        seen.append(settled.isBound() ? "at home" : "not at home")
                                .append(settled.isPinned() ? ", pinned" : ", resident");
                    }
                    seen.append(CpuAffinity.cpusOf(CpuAffinity.currentMask()).length == 1 ? "; outer pin kept" : "");
                    if (cpus.length > 1) {
                        Lane second = created.lanes().get(1);
                        try (CpuBinding elsewhere = second.settleAtHome()) {
                            seen.append(elsewhere.isBound() ? "; settled on an excluded CPU" : "; excluded CPU refused");
                        }
                    }
                }
                return seen.toString();
            }).get(60, TimeUnit.SECONDS);
            assertThat(outcome).startsWith("at home, resident; outer pin kept");
            if (cpus.length > 1) {
                assertThat(outcome).endsWith("; excluded CPU refused");
            }
        }
    }
}
