package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameClaim;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lease holder's own doorbell ({@link InboundLease#pollOrSleep}): a thread holding the inbound lease sleeps on it,
 * keeping the lease, and is woken by the other side's next frame itself (not through the event loop), by a close of
 * its channel, and by the liveness thread's tick. The channels here send keepalives once an hour, so no keepalive
 * frame wakes anybody. Killing the other process while a holder sleeps is in the endorser's and the shim's process
 * tests (a chaincode killed while the executing thread or a worker sleeps holding the lease).
 */
class LeaseBellTest {

    private static final Duration NO_KEEPALIVES = Duration.ofHours(1);
    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path base;

    private static ChronicleChannelBuilder quiet(Path dir, String name) {
        return ChronicleChannel.builder(dir).name(name).keepaliveInterval(NO_KEEPALIVES).livenessTimeout(NO_KEEPALIVES);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
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

    /** Sleeps through the lease until {@code claim} accepts a frame. */
    private static byte[] sleepUntilClaimed(InboundLease lease, FrameClaim claim) {
        byte[] frame;
        while ((frame = lease.pollOrSleep(claim)) == null) {
            // woken without a claimed frame (a forwarded one, a tick): sleep again
        }
        return frame;
    }

    @Test
    void aSleepingHolderIsWokenByTheAnswerItselfAndForwardsWhatItDoesNotClaim() throws Exception {
        Path dir = base.resolve("answer");
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel[] creator = new ChronicleChannel[1];
        // the other side answers only once the holder is asleep, with an unclaimed frame first for every third request
        FrameHandler answerWhenAsleep = (channel, frame) -> {
            await(() -> creator[0].leaseHolderAsleep(), "the holder asleep on its bell");
            if (number(frame) % 3 == 0) {
                channel.send(numbered(-1 - number(frame)));
            }
            channel.send(frame);
        };
        try (ChronicleChannel created = quiet(dir, "answer-p").create(peer);
             ChronicleChannel attached = quiet(dir, "answer-c").attach(answerWhenAsleep)) {
            creator[0] = created;
            assertThat(created.leaseHolderAsleep()).isFalse();
            for (int i = 0; i < 30; i++) {
                int wanted = i;
                try (InboundLease lease = created.tryLeaseInbound()) {
                    assertThat(lease).as("lease of request %d", i).isNotNull();
                    assertThat(lease.sleeps()).isTrue();
                    created.send(numbered(i));
                    byte[] answer = sleepUntilClaimed(lease, frame -> number(frame) == wanted);
                    assertThat(number(answer)).isEqualTo(i);
                    assertThat(created.leaseHolderAsleep()).as("awake once it has its answer").isFalse();
                }
            }
            // the unclaimed frames went on to the handler, in order; the answers never reached it
            peer.awaitFrames(10);
            for (int k = 0; k < 10; k++) {
                assertThat(number(peer.frames.get(k))).isEqualTo(-1 - 3 * k);
            }
            assertThat(peer.frames).hasSize(10);
        }
        assertThat(dir).doesNotExist();
        IpcThreads.assertNoneLeft("answer-p");
        IpcThreads.assertNoneLeft("answer-c");
    }

    @Test
    void theLivenessTickWakesASleepingHolderWithoutAFrame() throws Exception {
        Path dir = base.resolve("tick");
        RecordingHandler peer = new RecordingHandler();
        try (ChronicleChannel created = quiet(dir, "tick-p").create(peer);
             ChronicleChannel attached = quiet(dir, "tick-c").attach(new RecordingHandler());
             InboundLease lease = created.tryLeaseInbound()) {
            // nothing is written by anybody: only the tick (every 100 ms) can end this sleep
            for (int i = 0; i < 3; i++) {
                assertThat(lease.pollOrSleep(frame -> true)).isNull();
            }
            assertThat(created.leaseHolderAsleep()).isFalse();
        }
        assertThat(peer.frames).isEmpty();
        IpcThreads.assertNoneLeft("tick-p");
        IpcThreads.assertNoneLeft("tick-c");
    }

    @Test
    void aCloseWakesASleepingHolderWhichGivesTheLeaseBackAndNoThreadIsLeft() throws Exception {
        Path dir = base.resolve("close");
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel created = quiet(dir, "close-p").create(peer);
        try (ChronicleChannel attached = quiet(dir, "close-c").attach(new RecordingHandler())) {
            CompletableFuture<InboundLease> taken = new CompletableFuture<>();
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            Thread holder = new Thread(() -> {
                InboundLease lease = created.tryLeaseInbound();
                taken.complete(lease);
                try (lease) {
                    sleepUntilClaimed(lease, frame -> true);
                    ended.complete(null);
                } catch (Throwable t) {
                    ended.complete(t);
                }
            }, "close-holder");
            holder.start();
            assertThat(taken.get(WAIT_SECONDS, TimeUnit.SECONDS)).isNotNull();
            await(created::leaseHolderAsleep, "the holder asleep on its bell");

            created.close();
            assertThat(ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ChannelClosedException.class);
            holder.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertThat(holder.isAlive()).isFalse();
            assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            IpcThreads.assertNoneLeft("close-p");
        } finally {
            created.close();
        }
        assertThat(dir).doesNotExist();
        IpcThreads.assertNoneLeft("close-c");
    }

    @Test
    void withoutDoorbellsPollOrSleepIsPoll() throws Exception {
        Path dir = base.resolve("nobells");
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("nobells-p").doorbells(false)
                .create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("nobells-c").attach((ch, f) -> ch.send(f));
             InboundLease lease = created.tryLeaseInbound()) {
            assertThat(lease.sleeps()).isFalse();
            assertThat(lease.pollOrSleep(frame -> true)).isNull(); // nothing there: returns at once
            created.send(numbered(7));
            byte[] answer = sleepUntilClaimed(lease, frame -> true);
            assertThat(number(answer)).isEqualTo(7);
        }
        IpcThreads.assertNoneLeft("nobells-p");
        IpcThreads.assertNoneLeft("nobells-c");
    }

    @Test
    void onlyTheHolderMaySleepOnTheLease() throws Exception {
        Path dir = base.resolve("other");
        try (ChronicleChannel created = quiet(dir, "other-p").create(new RecordingHandler());
             ChronicleChannel attached = quiet(dir, "other-c").attach(new RecordingHandler());
             InboundLease lease = created.tryLeaseInbound()) {
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> lease.pollOrSleep(frame -> true));
            assertThatThrownBy(() -> other.get(WAIT_SECONDS, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to thread");
            assertThat(created.leaseHolderAsleep()).isFalse();
        }
    }
}
