package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doorbells: an idle event-loop thread sleeps on its FIFO and is woken by the other process's frames, by its own
 * process's tasks and close, and loses no frame to the race between arming and a write. Every channel here sends
 * keepalives only once an hour, so the liveness thread's safety ring (once per keepalive interval) never fires: a frame
 * that reaches a sleeping thread was delivered by a ring. The killed-while-asleep cases are in
 * {@link ChronicleChannelProcessTest} (its channels have doorbells by default).
 */
class DoorbellTest {

    private static final Duration NO_KEEPALIVES = Duration.ofHours(1);
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path base;

    private static ChronicleChannelBuilder quiet(Path dir, String name) {
        return ChronicleChannel.builder(dir).name(name).keepaliveInterval(NO_KEEPALIVES).livenessTimeout(NO_KEEPALIVES);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(1);
        }
    }

    private static byte[] numbered(int i) {
        byte[] frame = new byte[16];
        ByteBuffer.wrap(frame).putInt(i);
        return frame;
    }

    private static int number(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt();
    }

    @Test
    void theCreatorMakesBothBellsAnnouncesThemAndTheirFilesGoWithTheDirectory() throws Exception {
        Path dir = base.resolve("files");
        try (ChronicleChannel created = quiet(dir, "files-p").create(new RecordingHandler());
             ChronicleChannel attached = quiet(dir, "files-c").attach(new RecordingHandler())) {
            for (String fifo : new String[] {Doorbell.CREATOR_FIFO, Doorbell.ATTACHER_FIFO}) {
                assertThat(dir.resolve(fifo)).exists();
                assertThat(Files.isRegularFile(dir.resolve(fifo))).as(fifo + " is a FIFO").isFalse();
                assertThat(Files.isDirectory(dir.resolve(fifo))).isFalse();
            }
            assertThat(Files.size(dir.resolve(Doorbell.STATE_FILE))).isEqualTo(Doorbell.STATE_FILE_SIZE);
            assertThat(Files.readString(dir.resolve(ChannelDirectory.PROPERTIES))).contains("doorbells=fifo");
            assertThat(created.wakesOnInput()).isTrue();
            assertThat(attached.wakesOnInput()).isTrue();
            await(created::asleepOnBell, "the creator's loop asleep");
            await(attached::asleepOnBell, "the attacher's loop asleep");
        }
        assertThat(dir).doesNotExist();
        IpcThreads.assertNoneLeft("files-p");
        IpcThreads.assertNoneLeft("files-c");
    }

    @Test
    void aSleepingLoopIsWokenByEachFrameFromAnotherJvmAndTheChildsBellWakesItToo() throws Exception {
        Path dir = base.resolve("cross");
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel channel = quiet(dir, "cross").create(peer);
        try (ChildJvm child = ChildJvm.start(base, "echo", dir.toString(), "cross-cc", "spinYieldPark",
                Long.toString(NO_KEEPALIVES.toMillis()), Long.toString(NO_KEEPALIVES.toMillis()));
             Doorbell childsBell = Doorbell.open(dir, false)) {
            channel.watchProcess(child.process());
            child.awaitLine("ATTACHED", 60);
            for (int i = 0; i < 50; i++) {
                // both loops asleep: the child announced it in the shared word, this side's thread is blocked
                await(childsBell::sleepAnnounced, "the child's loop asleep on its bell");
                await(channel::asleepOnBell, "this side's loop asleep on its bell");
                channel.send(numbered(i));
                peer.awaitFrames(i + 1);
                assertThat(number(peer.frames.get(i))).isEqualTo(i);
            }
            child.closeChannelAndAwaitCleanExit(channel);
        } finally {
            channel.close();
        }
        assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        IpcThreads.assertNoneLeft("cross");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aTaskAndACloseFromItsOwnProcessWakeASleepingLoop() throws Exception {
        Path dir = base.resolve("local");
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = quiet(dir, "local-p").create(peer);
             ChronicleChannel attached = quiet(dir, "local-c").attach(chaincode)) {
            await(created::asleepOnBell, "the loop asleep");
            CountDownLatch ran = new CountDownLatch(1);
            created.execute(ran::countDown);
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("task run by the woken loop").isTrue();

            await(created::asleepOnBell, "the loop asleep again");
            created.close();
            assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            IpcThreads.assertNoneLeft("local-p");
            // the attacher, asleep too, was woken by the creator's close frame
            assertThat(chaincode.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        }
        IpcThreads.assertNoneLeft("local-c");
        assertThat(dir).doesNotExist();
    }

    @Test
    void noFrameIsLostWhenWritesRaceTheLoopGoingToSleep() throws Exception {
        // a handler-driven ping-pong whose every answer leaves after a random pause of 0-40 µs: around the ~10 µs the
        // loops spin before arming, so answers land before, during and after each loop's arming and sleep
        Path dir = base.resolve("race");
        int count = 20_000;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        FrameHandler pinger = new RecordingHandler() {
            private int expected;

            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                int got = number(frame);
                if (got != expected) {
                    done.completeExceptionally(new AssertionError("expected " + expected + ", got " + got));
                    return;
                }
                expected++;
                if (expected == count) {
                    done.complete(expected);
                    return;
                }
                pause(ThreadLocalRandom.current().nextLong(40_000));
                channel.send(numbered(expected));
            }
        };
        FrameHandler echo = (channel, frame) -> {
            pause(ThreadLocalRandom.current().nextLong(40_000));
            channel.send(frame);
        };
        try (ChronicleChannel created = quiet(dir, "race-p").create(pinger);
             ChronicleChannel attached = quiet(dir, "race-c").attach(echo)) {
            created.send(numbered(0));
            assertThat(done.get(180, TimeUnit.SECONDS)).isEqualTo(count);
        }
        IpcThreads.assertNoneLeft("race-p");
        IpcThreads.assertNoneLeft("race-c");
    }

    @Test
    void aLeaseReturnedWhileTheLoopSleepsLosesNoFrame() throws Exception {
        // a waiter takes the lease, sends, polls for its answer a random while, and either gets it or gives the lease
        // back and lets the (sleeping) loop deliver it; the other side also sends a frame nobody claims every time
        Path dir = base.resolve("lease");
        int count = 3_000;
        RecordingHandler peer = new RecordingHandler();
        FrameHandler echo = (channel, frame) -> {
            channel.send(frame);
            if (number(frame) % 3 == 0) {
                channel.send(numbered(-1 - number(frame)));
            }
        };
        BitSet seen = new BitSet(count);
        int claimedCount = 0;
        try (ChronicleChannel created = quiet(dir, "lease-p").create(peer);
             ChronicleChannel attached = quiet(dir, "lease-c").attach(echo)) {
            for (int i = 0; i < count; i++) {
                int wanted = i;
                await(() -> created.asleepOnBell() || ThreadLocalRandom.current().nextInt(4) == 0, "a sleeping loop");
                InboundLease lease = created.tryLeaseInbound();
                byte[] answer = null;
                if (lease == null) {
                    // the loop was descheduled in the middle of a read for long: its handler gets the answer
                    created.send(numbered(i));
                } else {
                    try (lease) {
                        created.send(numbered(i));
                        int polls = ThreadLocalRandom.current().nextInt(3_000);
                        for (int p = 0; p < polls && answer == null; p++) {
                            answer = lease.poll(frame -> number(frame) == wanted);
                        }
                    }
                }
                if (answer != null) {
                    claimedCount++;
                    seen.set(i);
                }
            }
            int unclaimedAnswers = count - claimedCount;
            int extras = (count + 2) / 3;
            peer.awaitFrames(unclaimedAnswers + extras);
            for (byte[] frame : peer.frames) {
                int n = number(frame);
                if (n >= 0) {
                    assertThat(seen.get(n)).as("frame %d delivered twice", n).isFalse();
                    seen.set(n);
                }
            }
            assertThat(seen.cardinality()).isEqualTo(count);
            assertThat(peer.frames).hasSize(unclaimedAnswers + extras);
        }
        IpcThreads.assertNoneLeft("lease-p");
        IpcThreads.assertNoneLeft("lease-c");
    }

    @Test
    void theSaturationHintIsSharedByBothSidesAndPutsTheirIdleLoopsToSleepAtOnce() throws Exception {
        Path dir = base.resolve("saturated");
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler();
        // ~10^9 yields before blocking: without the hint these loops never sleep on their bells during this test
        WaitStrategy pollsForEver = WaitStrategy.spinYieldPark(10, 1_000_000_000, Duration.ofMillis(1),
                Duration.ofMillis(1), 1_000_000_000);
        try (ChronicleChannel created = quiet(dir, "saturated-p").waitStrategy(pollsForEver).create(peer);
             ChronicleChannel attached = quiet(dir, "saturated-c").waitStrategy(pollsForEver).attach(chaincode)) {
            assertThat(created.coresSaturated()).isFalse();
            assertThat(attached.coresSaturated()).isFalse();
            created.send(numbered(0));
            chaincode.awaitFrames(1);
            assertThat(created.asleepOnBell()).as("polling, not asleep").isFalse();
            assertThat(attached.asleepOnBell()).as("polling, not asleep").isFalse();

            // the creating side (the peer) sets it; both ends read the word both map
            created.coresSaturated(true);
            assertThat(attached.coresSaturated()).isTrue();
            await(created::asleepOnBell, "the creator's loop asleep at once");
            await(attached::asleepOnBell, "the attacher's loop asleep at once");
            // asleep, each loop is still woken by every frame, and goes back to sleep at once
            for (int i = 1; i <= 20; i++) {
                created.send(numbered(i));
                chaincode.awaitFrames(i + 1);
                attached.send(numbered(i));
                peer.awaitFrames(i);
                await(attached::asleepOnBell, "the attacher's loop asleep again");
            }
            for (int i = 0; i <= 20; i++) {
                assertThat(number(chaincode.frames.get(i))).isEqualTo(i);
            }

            attached.coresSaturated(false); // either side may write it
            assertThat(created.coresSaturated()).isFalse();
        }
        assertThat(dir).doesNotExist();
        IpcThreads.assertNoneLeft("saturated-p");
        IpcThreads.assertNoneLeft("saturated-c");
    }

    @Test
    void withoutDoorbellsBothSidesPollAsBefore() throws Exception {
        Path dir = base.resolve("polling");
        RecordingHandler peer = new RecordingHandler();
        FrameHandler echo = FrameChannel::send;
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("polling-p").doorbells(false).create(peer);
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("polling-c").attach(echo)) {
            assertThat(created.wakesOnInput()).isFalse();
            assertThat(attached.wakesOnInput()).isFalse();
            assertThat(dir.resolve(Doorbell.CREATOR_FIFO)).doesNotExist();
            assertThat(dir.resolve(Doorbell.STATE_FILE)).doesNotExist();
            // nobody blocks, so there is no saturation hint to share either
            created.coresSaturated(true);
            assertThat(created.coresSaturated()).isFalse();
            assertThat(attached.coresSaturated()).isFalse();
            for (int i = 0; i < 1_000; i++) {
                created.send(numbered(i));
                if (i % 100 == 0) {
                    Thread.sleep(5); // let both loops reach their park phase now and then
                }
            }
            peer.awaitFrames(1_000);
            for (int i = 0; i < 1_000; i++) {
                assertThat(number(peer.frames.get(i))).isEqualTo(i);
            }
        }
        assertThat(dir).doesNotExist();
        IpcThreads.assertNoneLeft("polling-p");
        IpcThreads.assertNoneLeft("polling-c");
    }

    @Test
    void aDirectoryWhereFifosCannotBeMadeGetsNoneAndAnnouncesNone() throws Exception {
        // mkfifo fails (here: no such directory); the channel is then created without doorbells, as doorbells(false)
        assertThat(Doorbell.createFiles(base.resolve("no-such-directory"))).isFalse();
        assertThat(base.resolve("no-such-directory")).doesNotExist();
    }

    private static void pause(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
