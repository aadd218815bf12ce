package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel between this JVM (the creating, peer side) and a real second JVM ({@link ChannelChild}). */
class ChronicleChannelProcessTest {

    @TempDir
    Path base;

    /** Checks, on the event-loop thread, that echoed frames come back numbered 0, 1, 2... */
    private static class SequenceChecker extends RecordingHandler {
        final AtomicInteger next = new AtomicInteger();
        final AtomicReference<String> error = new AtomicReference<>();

        @Override
        public void onFrame(FrameChannel channel, byte[] frame) {
            int expected = next.get();
            int got = ByteBuffer.wrap(frame).getInt();
            if (got != expected && error.get() == null) {
                error.set("expected frame " + expected + ", got " + got);
            }
            next.incrementAndGet();
        }

        void awaitCount(int count, ChildJvm child) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (next.get() < count && System.nanoTime() < deadline && !closed.isDone()) {
                Thread.sleep(10);
            }
            assertThat(next.get()).as("frames echoed back (closed: %s); child stderr:\n%s",
                    closed.getNow(null), child.stderrText()).isEqualTo(count);
        }
    }

    @Test
    void aMillionFramesGoToAnotherJvmAndBackInOrderNoneLostOrDuplicated() throws Exception {
        Path dir = base.resolve("million");
        SequenceChecker peer = new SequenceChecker();
        int count = 1_000_000;
        ChronicleChannel channel = ChronicleChannel.builder(dir).name("million").create(peer);
        try (ChildJvm child = ChildJvm.start(base, "echo", dir.toString(), "million-cc", "spinYieldPark", "10000")) {
            child.awaitLine("ATTACHED", 60);
            byte[] frame = new byte[16];
            ByteBuffer buffer = ByteBuffer.wrap(frame);
            for (int i = 0; i < count; i++) {
                buffer.putInt(0, i);
                channel.send(frame);
            }
            peer.awaitCount(count, child);
            assertThat(peer.error.get()).isNull();
            assertThat(channel.isOpen()).isTrue();

            child.closeChannelAndAwaitCleanExit(channel);
        } finally {
            channel.close();
        }
        assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        IpcThreads.assertNoneLeft("million");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aHandlerDrivenPingPongOfOneHundredThousandFramesBetweenTwoJvmsStaysInOrder() throws Exception {
        // as the peer and a chaincode talk: each side's handler answers on its event-loop thread, so only the
        // two event-loop threads poll; the next request leaves as soon as the previous answer arrived
        Path dir = base.resolve("pingpong");
        int count = 100_000;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        SequenceChecker peer = new SequenceChecker() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                frameThreads.add(Thread.currentThread().getName());
                int next = ByteBuffer.wrap(frame).getInt() + 1;
                if (next < count) {
                    channel.send(numbered(next));
                } else {
                    done.complete(next);
                }
            }
        };
        ChronicleChannel channel = ChronicleChannel.builder(dir).name("pingpong").create(peer);
        try (ChildJvm child = ChildJvm.start(base, "echo", dir.toString(), "pingpong-cc", "spinYieldPark", "10000")) {
            channel.watchProcess(child.process());
            child.awaitLine("ATTACHED", 60);
            channel.send(numbered(0));
            assertThat(done.get(180, TimeUnit.SECONDS)).isEqualTo(count);
            assertThat(peer.error.get()).isNull();
            assertThat(peer.next.get()).isEqualTo(count);
            assertThat(channel.isOpen()).isTrue();
            child.closeChannelAndAwaitCleanExit(channel);
        } finally {
            channel.close();
        }
        assertThat(peer.frameThreads).hasSize(count).containsOnly("ipc-pingpong-events");
        IpcThreads.assertNoneLeft("pingpong");
        assertThat(dir).doesNotExist();
    }

    private static byte[] numbered(int i) {
        byte[] frame = new byte[100];
        ByteBuffer.wrap(frame).putInt(i);
        return frame;
    }

    @Test
    void sigkillOfAWatchedProcessIsReportedWithItsExitStatus() throws Exception {
        // as the peer does it: create the directory, launch the chaincode process with its path, watch it
        Path dir = base.resolve("killed");
        RecordingHandler peer = new RecordingHandler();
        try (ChronicleChannel channel = ChronicleChannel.builder(dir).name("killed").create(peer);
             ChildJvm chaincode = ChildJvm.start(base, "echo", dir.toString(), "killed-cc", "spinYieldPark", "60000")) {
            channel.watchProcess(chaincode.process());
            chaincode.awaitLine("ATTACHED", 60);
            channel.send(new byte[] {1, 2, 3});
            peer.awaitFrames(1);
            chaincode.kill();
            CloseReason reason = peer.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_PROCESS_EXITED);
            assertThat(reason.message()).isEqualTo("process " + chaincode.process().pid() + " exited with status 137");
            assertThat(channel.isOpen()).isFalse();
            assertThat(peer.frames.get(0)).containsExactly(1, 2, 3);
        }
        IpcThreads.assertNoneLeft("killed");
        assertThat(dir).doesNotExist();
    }

    @Test
    void sigkillOfAnUnwatchedProcessIsDetectedByTheKeepaliveTimeout() throws Exception {
        Path dir = base.resolve("silent-kill");
        RecordingHandler peer = new RecordingHandler();
        try (ChronicleChannel channel = ChronicleChannel.builder(dir).name("silent-kill")
                .keepaliveInterval(Duration.ofMillis(100)).livenessTimeout(Duration.ofSeconds(1)).create(peer);
             ChildJvm child = ChildJvm.start(base, "echo", dir.toString(), "silent-kill-cc", "spinYieldPark", "60000")) {
            child.awaitLine("ATTACHED", 60);
            channel.send(new byte[] {9});
            peer.awaitFrames(1);
            child.kill();
            CloseReason reason = peer.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.KEEPALIVE_TIMEOUT);
            assertThat(reason.message()).contains("liveness timeout 1000 ms");
        }
        IpcThreads.assertNoneLeft("silent-kill");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aRestartAfterACrashReusesNothingStale() throws Exception {
        Path dir = base.resolve("restart");
        Path other = base.resolve("crashed-elsewhere");
        try (ChildJvm crashed = ChildJvm.start(base, "create-and-send", dir.toString(), "crashed", "100");
             ChildJvm crashed2 = ChildJvm.start(base, "create-and-send", other.toString(), "crashed2", "5")) {
            crashed.awaitLine("SENT", 60);
            crashed2.awaitLine("SENT", 60);
            crashed.kill();
            crashed2.kill();
        }
        assertThat(dir.resolve(ChannelDirectory.PROPERTIES)).exists();
        assertThat(other.resolve(ChannelDirectory.PROPERTIES)).exists();

        // the peer starts again: creating over the stale directory replaces it
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel channel = ChronicleChannel.builder(dir).name("restart").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("restart-c").attach(chaincode)) {
            Path unrelated = Files.createDirectories(base.resolve("not-a-channel"));
            Files.writeString(unrelated.resolve("notes.txt"), "mine");
            Path empty = Files.createDirectories(base.resolve("empty"));
            Path remains = Files.createDirectories(base.resolve("remains").resolve(ChannelDirectory.ATTACHER_TO_CREATOR));
            // cleaning the base directory removes the other crashed run and a closed channel's remains,
            // and leaves the live channel, an empty directory and a foreign one alone
            assertThat(ChannelDirectory.cleanStale(base)).isEqualTo(2);
            assertThat(other).doesNotExist();
            assertThat(remains.getParent()).doesNotExist();
            assertThat(dir).exists();
            assertThat(empty).exists();
            assertThat(unrelated.resolve("notes.txt")).exists();

            channel.send(new byte[] {0, 0, 0, 1});
            chaincode.awaitFrames(1);
            // a reused queue would have delivered the crashed run's 100 frames first
            assertThat(chaincode.frames).hasSize(1);
            assertThat(attached.isOpen()).isTrue();
            assertThat(chaincode.frames.get(0)).containsExactly(0, 0, 0, 1);
        }
        IpcThreads.assertNoneLeft("restart");
        assertThat(dir).doesNotExist();
    }
}
