package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameClaim;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.injvm.ChannelPair;
import dev.fabricembedded.ipc.injvm.InJvmChannels;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InboundLease} on real Chronicle channels: a thread other than the event loop reads the inbound queue, keeps
 * what it claims and forwards the rest to the handler in order; control traffic, closes and corruption it reads
 * are handled as the event loop would.
 */
class InboundLeaseTest {

    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path base;

    private static byte[] numbered(int i) {
        byte[] frame = new byte[8];
        ByteBuffer.wrap(frame).putInt(i);
        return frame;
    }

    private static int number(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt();
    }

    private static List<Integer> numbers(List<byte[]> frames) {
        synchronized (frames) {
            return frames.stream().map(InboundLeaseTest::number).collect(Collectors.toList());
        }
    }

    private static FrameClaim claimNumbers(IntPredicate wanted) {
        return frame -> frame.length == 8 && wanted.test(number(frame));
    }

    /**
     * A thread that takes the lease of {@code channel} and polls it (pausing 0.1 ms between empty polls) until it has
     * claimed {@code wanted} frames, it is stopped, or a poll throws; it always returns the lease.
     */
    private static final class Holder extends Thread {
        final List<byte[]> claimed = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Boolean> leased = new CompletableFuture<>();
        /** Completes with {@code null} after a normal end, or with what a poll threw. */
        final CompletableFuture<RuntimeException> ended = new CompletableFuture<>();
        private final HandlerExecutor channel;
        private final FrameClaim claim;
        private final int wanted;
        private volatile boolean stop;

        Holder(HandlerExecutor channel, FrameClaim claim, int wanted) {
            super("test-lease-holder");
            this.channel = channel;
            this.claim = claim;
            this.wanted = wanted;
        }

        static Holder start(HandlerExecutor channel, FrameClaim claim, int wanted) throws Exception {
            Holder holder = new Holder(channel, claim, wanted);
            holder.start();
            assertThat(holder.leased.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("lease taken").isTrue();
            return holder;
        }

        @Override
        public void run() {
            try (InboundLease lease = channel.tryLeaseInbound()) {
                leased.complete(lease != null);
                if (lease == null) {
                    ended.complete(null);
                    return;
                }
                while (!stop && claimed.size() < wanted) {
                    byte[] frame = lease.poll(claim);
                    if (frame != null) {
                        claimed.add(frame);
                    } else {
                        LockSupport.parkNanos(100_000);
                    }
                }
                ended.complete(null);
            } catch (RuntimeException e) {
                ended.complete(e);
            }
        }

        RuntimeException awaitEnd() throws Exception {
            RuntimeException thrown = ended.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            return thrown;
        }

        RuntimeException stopAndAwaitEnd() throws Exception {
            stop = true;
            return awaitEnd();
        }
    }

    @Test
    void claimedFramesGoToTheHolderAndTheOthersReachTheHandlerInQueueOrder() throws Exception {
        Path dir = base.resolve("order");
        RecordingHandler chaincode = new RecordingHandler();
        IntPredicate claimable = n -> n >= 100 && n < 200 && n % 3 == 0;
        List<Integer> claimableNumbers = IntStream.range(0, 300).filter(claimable).boxed().collect(Collectors.toList());
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-order").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-order-c").attach(chaincode)) {
            // frames 0-99 are read by the event loop, or by the holder if it is quicker: either way in order
            for (int i = 0; i < 100; i++) {
                created.send(numbered(i));
            }
            Holder holder = Holder.start(attached, claimNumbers(claimable), claimableNumbers.size());
            for (int i = 100; i < 200; i++) {
                created.send(numbered(i));
            }
            assertThat(holder.awaitEnd()).isNull();
            // and after the lease, the event loop reads again, behind what the holder forwarded
            for (int i = 200; i < 300; i++) {
                created.send(numbered(i));
            }
            chaincode.awaitFrames(300 - claimableNumbers.size());
            assertThat(numbers(holder.claimed)).isEqualTo(claimableNumbers);
            assertThat(numbers(chaincode.frames)).isEqualTo(
                    IntStream.range(0, 300).filter(claimable.negate()).boxed().collect(Collectors.toList()));
            assertThat(chaincode.frameThreads).containsOnly("ipc-lease-order-c-events");
            assertThat(attached.isOpen()).isTrue();
        }
        IpcThreads.assertNoneLeft("lease-order");
        IpcThreads.assertNoneLeft("lease-order-c");
    }

    @Test
    void oneLeaseAtATimeNeverOnTheEventLoopThreadNorOnAnInJvmChannel() throws Exception {
        Path dir = base.resolve("one");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-one").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-one-c").attach(chaincode)) {
            InboundLease lease = attached.tryLeaseInbound();
            assertThat(lease).isNotNull();
            assertThat(attached.tryLeaseInbound()).as("the holder again").isNull();
            assertThat(onAnotherThread(attached::tryLeaseInbound)).as("another thread").isNull();
            CompletableFuture<InboundLease> onEventLoop = new CompletableFuture<>();
            // tasks still run while the lease is held
            attached.execute(() -> onEventLoop.complete(attached.tryLeaseInbound()));
            assertThat(onEventLoop.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the event-loop thread").isNull();
            assertThat(onAnotherThread(() -> {
                try {
                    return lease.poll(frame -> true);
                } catch (IllegalStateException e) {
                    return e.getMessage();
                }
            })).isEqualTo("the inbound lease of channel lease-one-c belongs to thread " + Thread.currentThread().getName()
                    + ", not test-other");

            lease.close();
            lease.close();
            assertThatThrownBy(() -> lease.poll(frame -> true))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the inbound lease of channel lease-one-c was returned");
            assertThat(onAnotherThread(() -> {
                try (InboundLease other = attached.tryLeaseInbound()) {
                    return other != null;
                }
            })).isEqualTo(true);
            created.send(numbered(7));
            chaincode.awaitFrames(1);
            assertThat(number(chaincode.frames.get(0))).isEqualTo(7);

            attached.close();
            assertThat(attached.tryLeaseInbound()).as("closed").isNull();
        }
        RecordingHandler a = new RecordingHandler();
        try (ChannelPair pair = InJvmChannels.pair("lease-injvm", a, new RecordingHandler())) {
            assertThat(HandlerExecutor.of(pair.first()).tryLeaseInbound()).isNull();
            pair.second().send(numbered(1));
            a.awaitFrames(1);
        }
        IpcThreads.assertNoneLeft("lease-one");
        IpcThreads.assertNoneLeft("lease-one-c");
    }

    private static Object onAnotherThread(java.util.concurrent.Callable<?> action) throws Exception {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "test-other");
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aQuietlyReturnedLeaseIsTakenUpByTheEventLoopWithoutAnyHurry() throws Exception {
        Path dir = base.resolve("quiet");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-quiet").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-quiet-c").attach(chaincode)) {
            // as a chaincode thread does per request: take the lease, read, return it; the loop is never woken for it
            for (int i = 0; i < 50; i++) {
                try (InboundLease lease = attached.tryLeaseInbound()) {
                    assertThat(lease).as("lease %d", i).isNotNull();
                    assertThat(lease.poll(frame -> true)).isNull();
                }
                created.send(numbered(i));
                chaincode.awaitFrames(i + 1);
            }
            assertThat(numbers(chaincode.frames)).isEqualTo(IntStream.range(0, 50).boxed().collect(Collectors.toList()));
            assertThat(chaincode.frameThreads).containsOnly("ipc-lease-quiet-c-events");
        }
        IpcThreads.assertNoneLeft("lease-quiet-c");
    }

    /**
     * The chaincode end parks for two minutes at a time once idle, so a frame that nobody leases for, sent after a
     * quiet return, would wait that long; a task (or {@code hurry()}, an empty one) hurries the loop, which then reads
     * at full speed (here it yields for a long while) and delivers a frame sent after it well within the bounded wait.
     */
    @Test
    void aTaskAfterTheReturnGetsTheEventLoopReadingAgainAtOnce() throws Exception {
        Path dir = base.resolve("hurry");
        RecordingHandler chaincode = new RecordingHandler();
        WaitStrategy slowToNotice = WaitStrategy.spinYieldPark(100, 1_000_000, Duration.ofMinutes(2),
                Duration.ofMinutes(2));
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-hurry").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-hurry-c").waitStrategy(slowToNotice)
                     .livenessTimeout(Duration.ofMinutes(10)).attach(chaincode)) {
            for (int round = 0; round < 3; round++) {
                int forwarded = 2 * round;
                try (InboundLease lease = attached.tryLeaseInbound()) {
                    assertThat(lease).isNotNull();
                    created.send(numbered(forwarded));
                    // the holder forwards it; the loop delivers it and goes back to waiting for the lease's return
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                    while (chaincode.frames.size() <= forwarded && System.nanoTime() - deadline < 0) {
                        assertThat(lease.poll(frame -> false)).isNull();
                        Thread.sleep(1);
                    }
                    chaincode.awaitFrames(forwarded + 1);
                    Thread.sleep(50); // the loop is parked on the lease; it resumes in its park phase after the return
                }
                if (round == 1) {
                    attached.hurry(); // the same, without a task of one's own
                } else {
                    CompletableFuture<String> hurried = new CompletableFuture<>();
                    attached.execute(() -> hurried.complete(Thread.currentThread().getName()));
                    assertThat(hurried.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isEqualTo("ipc-lease-hurry-c-events");
                }
                created.send(numbered(forwarded + 1));
                chaincode.awaitFrames(forwarded + 2);
            }
            assertThat(numbers(chaincode.frames)).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(attached.isOpen()).isTrue();
        }
        IpcThreads.assertNoneLeft("lease-hurry-c");
    }

    @Test
    void aFrameWhoseClaimThrowsStillReachesTheHandler() throws Exception {
        Path dir = base.resolve("throwing");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-throw").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-throw-c").attach(chaincode)) {
            RuntimeException thrown = null;
            try (InboundLease lease = attached.tryLeaseInbound()) {
                created.send(numbered(1));
                created.send(numbered(2));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                while (thrown == null && System.nanoTime() - deadline < 0) {
                    try {
                        lease.poll(frame -> {
                            throw new IllegalArgumentException("claim failed on " + number(frame));
                        });
                        Thread.sleep(1);
                    } catch (IllegalArgumentException e) {
                        thrown = e;
                    }
                }
            }
            assertThat(thrown).hasMessage("claim failed on 1");
            chaincode.awaitFrames(2);
            assertThat(numbers(chaincode.frames)).containsExactly(1, 2);
            assertThat(attached.isOpen()).isTrue();
        }
        IpcThreads.assertNoneLeft("lease-throw-c");
    }

    @Test
    void keepalivesReadByTheHolderKeepTheChannelOpenForLongerThanTheLivenessTimeout() throws Exception {
        Path dir = base.resolve("alive");
        RecordingHandler chaincode = new RecordingHandler();
        RecordingHandler peer = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-alive")
                .keepaliveInterval(Duration.ofMillis(50)).livenessTimeout(Duration.ofMillis(400)).create(peer);
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-alive-c")
                .keepaliveInterval(Duration.ofMillis(50)).livenessTimeout(Duration.ofMillis(400)).attach(chaincode)) {
            Holder holder = Holder.start(attached, frame -> false, Integer.MAX_VALUE);
            // the event loop is not reading: only the keepalives the holder reads prove that the other side lives
            Thread.sleep(1_500);
            assertThat(attached.isOpen()).as("attacher open (closed: %s)", chaincode.closed.getNow(null)).isTrue();
            assertThat(created.isOpen()).isTrue();
            created.send(numbered(5));
            assertThat(holder.stopAndAwaitEnd()).isNull();
            chaincode.awaitFrames(1);
            assertThat(number(chaincode.frames.get(0))).isEqualTo(5);
        }
        assertThat(chaincode.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        IpcThreads.assertNoneLeft("lease-alive-c");
    }

    @Test
    void aLocalCloseWhileLeasedEndsTheHoldersPollsAndReleasesEverything() throws Exception {
        Path dir = base.resolve("local");
        RecordingHandler chaincode = new RecordingHandler();
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-local").create(peer);
        try (ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-local-c").attach(chaincode)) {
            Holder holder = Holder.start(attached, frame -> false, Integer.MAX_VALUE);
            created.send(numbered(1));
            attached.close();
            assertThat(holder.awaitEnd()).isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("LOCAL_CLOSE");
            assertThat(((ChannelClosedException) holder.ended.get()).reason().kind())
                    .isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(chaincode.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(chaincode.closeCalls).hasValue(1);
            assertThat(chaincode.closeThread).isEqualTo("ipc-lease-local-c-events");
            assertThat(chaincode.framesAfterClose).hasValue(0);
            IpcThreads.assertNoneLeft("lease-local-c");
            assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        } finally {
            created.close();
        }
        IpcThreads.assertNoneLeft("lease-local");
        assertThat(dir).doesNotExist();
    }

    @Test
    void theOtherSidesCloseReadByTheHolderComesAfterEveryFrameBeforeIt() throws Exception {
        Path dir = base.resolve("remote");
        RecordingHandler chaincode = new RecordingHandler();
        ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-remote").create(new RecordingHandler());
        try (ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-remote-c").attach(chaincode)) {
            Holder holder = Holder.start(attached, claimNumbers(n -> n % 2 == 0), Integer.MAX_VALUE);
            for (int i = 0; i < 100; i++) {
                created.send(numbered(i));
            }
            created.close();
            RuntimeException thrown = holder.awaitEnd();
            assertThat(thrown).isInstanceOf(ChannelClosedException.class);
            assertThat(((ChannelClosedException) thrown).reason().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            assertThat(chaincode.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            assertThat(numbers(holder.claimed))
                    .isEqualTo(IntStream.range(0, 100).filter(n -> n % 2 == 0).boxed().collect(Collectors.toList()));
            assertThat(numbers(chaincode.frames))
                    .isEqualTo(IntStream.range(0, 100).filter(n -> n % 2 == 1).boxed().collect(Collectors.toList()));
            assertThat(chaincode.closeCalls).hasValue(1);
            assertThat(chaincode.framesAfterClose).hasValue(0);
            assertThat(attached.isOpen()).isFalse();
        } finally {
            created.close();
        }
        IpcThreads.assertNoneLeft("lease-remote-c");
        IpcThreads.assertNoneLeft("lease-remote");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aCorruptFrameReadByTheHolderClosesTheChannelAsWhenTheEventLoopReadsIt() throws Exception {
        Path dir = base.resolve("corrupt");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("lease-corrupt").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("lease-corrupt-c").attach(chaincode)) {
            Holder holder = Holder.start(attached, frame -> false, Integer.MAX_VALUE);
            created.send(numbered(1));
            ChronicleChannelTest.appendForeignExcerpt(created,
                    out -> out.writeInt(0x12345678).writeByte((byte) 1).writeInt(0).writeInt(0));
            RuntimeException thrown = holder.awaitEnd();
            assertThat(thrown).isInstanceOf(ChannelClosedException.class);
            CloseReason reason = chaincode.awaitClose();
            assertThat(((ChannelClosedException) thrown).reason()).isEqualTo(reason);
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.CORRUPT_FRAME);
            assertThat(reason.message()).contains("magic").contains(ChannelDirectory.CREATOR_TO_ATTACHER);
            assertThat(numbers(chaincode.frames)).containsExactly(1);
            assertThat(attached.isOpen()).isFalse();
        }
        IpcThreads.assertNoneLeft("lease-corrupt-c");
        IpcThreads.assertNoneLeft("lease-corrupt");
    }

    @Test
    void answersFromAnotherJvmReadThroughTheLeaseThenTheProcessIsKilledWhileLeased() throws Exception {
        Path dir = base.resolve("killed");
        RecordingHandler peer = new RecordingHandler();
        int rounds = 1_000;
        try (ChronicleChannel channel = ChronicleChannel.builder(dir).name("lease-killed").create(peer);
             ChildJvm chaincode = ChildJvm.start(base, "echo", dir.toString(), "lease-killed-cc", "spinYieldPark", "60000")) {
            channel.watchProcess(chaincode.process());
            chaincode.awaitLine("ATTACHED", 60);
            // requests and their echoed answers, waited for through the lease as a peer thread would
            for (int i = 0; i < rounds; i++) {
                int expected = i;
                // leased before sending, so the answer cannot be read by the event loop first
                try (InboundLease lease = channel.tryLeaseInbound()) {
                    assertThat(lease).isNotNull();
                    channel.send(numbered(i));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                    byte[] answer;
                    while ((answer = lease.poll(claimNumbers(n -> n == expected))) == null) {
                        assertThat(System.nanoTime() - deadline).as("answer %d", i).isNegative();
                        Thread.yield();
                    }
                    assertThat(number(answer)).isEqualTo(i);
                }
            }
            assertThat(peer.frames).isEmpty();
            Holder holder = Holder.start(channel, frame -> false, Integer.MAX_VALUE);
            chaincode.kill();
            RuntimeException thrown = holder.awaitEnd();
            assertThat(thrown).isInstanceOf(ChannelClosedException.class);
            CloseReason reason = peer.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_PROCESS_EXITED);
            assertThat(((ChannelClosedException) thrown).reason()).isEqualTo(reason);
            assertThat(peer.closeCalls).hasValue(1);
        }
        IpcThreads.assertNoneLeft("lease-killed");
        assertThat(dir).doesNotExist();
    }
}
