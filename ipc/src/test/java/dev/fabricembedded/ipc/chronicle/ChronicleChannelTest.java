package dev.fabricembedded.ipc.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.GatedHandler;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both ends in this JVM (each with its own queue instances); the two-process tests are in {@link ChronicleChannelProcessTest}. */
class ChronicleChannelTest {

    @TempDir
    Path base;

    static byte[] numbered(int i, int size) {
        byte[] frame = new byte[Math.max(size, 4)];
        ByteBuffer.wrap(frame).putInt(i);
        return frame;
    }

    static int number(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt();
    }

    @Test
    void exchangesFramesInOrderBothWaysAndLeavesNoThreadOrFileBehind() throws Exception {
        Path dir = base.resolve("order");
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler();
        int count = 20_000;
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("order-p").create(peer);
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("order-c").attach(chaincode)) {
            assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(IpcThreads.alive("order-p"))
                    .containsExactly("ipc-order-p-events", "ipc-order-p-liveness");
            for (int i = 0; i < count; i++) {
                created.send(numbered(i, 100));
                attached.send(numbered(i, 10));
            }
            chaincode.awaitFrames(count);
            peer.awaitFrames(count);
        }
        for (RecordingHandler h : List.of(peer, chaincode)) {
            assertThat(h.frames).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(number(h.frames.get(i))).isEqualTo(i);
            }
        }
        assertThat(peer.frames.get(0)).hasSize(10);
        assertThat(chaincode.frames.get(0)).hasSize(100);
        assertThat(chaincode.frameThreads).containsOnly("ipc-order-c-events");
        assertThat(peer.awaitClose().kind()).isIn(CloseReason.Kind.LOCAL_CLOSE, CloseReason.Kind.REMOTE_CLOSE);
        IpcThreads.assertNoneLeft("order-p");
        IpcThreads.assertNoneLeft("order-c");
        assertThat(dir).doesNotExist();
    }

    @Test
    void orderlyCloseDeliversEverythingSentBeforeItThenRemoteClose() throws Exception {
        Path dir = base.resolve("remote-close");
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler();
        ChronicleChannel created = ChronicleChannel.builder(dir).name("rc-p").create(peer);
        try (ChronicleChannel attached = ChronicleChannel.builder(dir).name("rc-c").attach(chaincode)) {
            for (int i = 0; i < 1000; i++) {
                created.send(numbered(i, 50));
            }
            created.close();
            created.close();
            assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            CloseReason reason = chaincode.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            assertThat(chaincode.frames).hasSize(1000);
            assertThat(number(chaincode.frames.get(999))).isEqualTo(999);
            assertThat(attached.isOpen()).isFalse();
            assertThatThrownBy(() -> attached.send(new byte[1]))
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("REMOTE_CLOSE");
            assertThatThrownBy(() -> created.send(new byte[1]))
                    .isInstanceOf(ChannelClosedException.class)
                    .hasMessageContaining("LOCAL_CLOSE");
        }
        assertThat(peer.closeCalls).hasValue(1);
        assertThat(chaincode.closeCalls).hasValue(1);
        IpcThreads.assertNoneLeft("rc-p");
        IpcThreads.assertNoneLeft("rc-c");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aCreatorClosingFirstWaitsForTheAttacherToReadEverythingBeforeDeletingTheDirectory() throws Exception {
        Path dir = base.resolve("linger");
        GatedHandler slow = new GatedHandler();
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel created = ChronicleChannel.builder(dir).name("linger-p").closeLinger(Duration.ofSeconds(30))
                .create(peer);
        try (ChronicleChannel attached = ChronicleChannel.builder(dir).name("linger-c").attach(slow)) {
            for (int i = 0; i < 200; i++) {
                created.send(numbered(i, 16));
            }
            assertThat(slow.awaitFirstFrame()).isTrue();
            Thread closer = new Thread(created::close, "test-closer");
            closer.start();
            assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            // the attacher's handler is stuck on frame 0: the creator must not delete what it has not read
            closer.join(300);
            assertThat(closer.isAlive()).isTrue();
            assertThat(dir.resolve(ChannelDirectory.CREATOR_TO_ATTACHER)).isDirectory();
            slow.open();
            assertThat(slow.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            closer.join(30_000);
            assertThat(closer.isAlive()).isFalse();
            assertThat(slow.frames).hasSize(200);
            assertThat(number(slow.frames.get(199))).isEqualTo(199);
            assertThat(attached.isOpen()).isFalse();
        } finally {
            slow.open();
            created.close();
        }
        IpcThreads.assertNoneLeft("linger-p");
        IpcThreads.assertNoneLeft("linger-c");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aCreatorWithNobodyAttachedClosesWithoutLingering() throws Exception {
        Path dir = base.resolve("alone");
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel created = ChronicleChannel.builder(dir).name("alone").closeLinger(Duration.ofMinutes(5))
                .create(peer);
        Thread closer = new Thread(created::close, "test-closer");
        closer.start();
        // a five-minute linger would keep the closer alive: with nobody attached there is nothing to wait for
        closer.join(30_000);
        assertThat(closer.isAlive()).isFalse();
        assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        assertThat(dir).doesNotExist();
    }

    @Test
    void anAttacherWhoseCreatorNeverSpeaksClosesWithKeepaliveTimeout() throws Exception {
        Path dir = base.resolve("mute-creator");
        // a fake creator: the directory and its queues, and then not a word
        ChannelDirectory.create(dir, 1024, RollCycleNames.of(RollCycles.FIVE_MINUTELY), true, 0, false);
        for (String queueDir : List.of(ChannelDirectory.CREATOR_TO_ATTACHER, ChannelDirectory.ATTACHER_TO_CREATOR)) {
            Files.createDirectory(dir.resolve(queueDir));
        }
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel attached = ChronicleChannel.builder(dir).name("mute-c")
                .keepaliveInterval(Duration.ofMillis(50)).livenessTimeout(Duration.ofMillis(400)).attach(chaincode)) {
            CloseReason reason = chaincode.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.KEEPALIVE_TIMEOUT);
            assertThat(reason.message()).contains("liveness timeout 400 ms");
            assertThat(attached.isOpen()).isFalse();
        }
        IpcThreads.assertNoneLeft("mute-c");
    }

    @Test
    void refusesOversizedFramesAtTheSenderAndCarriesMaximumSizeOnes() throws Exception {
        Path dir = base.resolve("sizes");
        RecordingHandler chaincode = new RecordingHandler();
        int max = 1024 * 1024;
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("sizes").maxFrameSize(max)
                .create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("sizes-c").attach(chaincode)) {
            assertThat(attached.maxFrameSize()).isEqualTo(max);
            assertThatThrownBy(() -> created.send(new byte[max + 1]))
                    .isInstanceOf(FrameTooLargeException.class)
                    .hasMessage("frame of 1048577 bytes exceeds the maximum frame size of 1048576 bytes on channel sizes");
            assertThatThrownBy(() -> attached.send(new byte[max + 1])).isInstanceOf(FrameTooLargeException.class);
            byte[] big = new byte[max];
            big[max - 1] = 42;
            created.send(big);
            created.send(new byte[0]);
            chaincode.awaitFrames(2);
            assertThat(created.isOpen()).isTrue();
        }
        assertThat(chaincode.frames.get(0)).hasSize(max);
        assertThat(chaincode.frames.get(0)[max - 1]).isEqualTo((byte) 42);
        assertThat(chaincode.frames.get(1)).isEmpty();
    }

    @Test
    void carriesASixteenMebibyteFrameByDefault() throws Exception {
        Path dir = base.resolve("default-max");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("dmax").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("dmax-c").attach(chaincode)) {
            byte[] big = new byte[16 * 1024 * 1024];
            big[big.length - 1] = 7;
            created.send(big);
            assertThatThrownBy(() -> created.send(new byte[big.length + 1])).isInstanceOf(FrameTooLargeException.class);
            chaincode.awaitFrames(1);
            assertThat(attached.isOpen()).isTrue();
        }
        assertThat(chaincode.frames.get(0)).hasSize(16 * 1024 * 1024);
        assertThat(chaincode.frames.get(0)[16 * 1024 * 1024 - 1]).isEqualTo((byte) 7);
    }

    @Test
    void closeWithFramesInFlightDropsTheUndeliveredOnesAndStopsEverything() throws Exception {
        Path dir = base.resolve("inflight");
        GatedHandler slow = new GatedHandler();
        RecordingHandler peer = new RecordingHandler();
        ChronicleChannel created = ChronicleChannel.builder(dir).name("inf-p").create(peer);
        ChronicleChannel attached = ChronicleChannel.builder(dir).name("inf-c").ringSize(16).attach(slow);
        try {
            created.send(numbered(0, 8));
            assertThat(slow.awaitFirstFrame()).isTrue();
            for (int i = 1; i < 5_000; i++) {
                created.send(numbered(i, 8));
            }
            Thread closer = new Thread(attached::close, "test-closer");
            closer.start();
            while (attached.isOpen()) {
                Thread.sleep(1);
            }
            slow.open();
            closer.join(30_000);
            assertThat(closer.isAlive()).isFalse();
            assertThat(slow.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(slow.frames.size()).isLessThan(5_000);
            assertThat(slow.framesAfterClose).hasValue(0);
            assertThat(peer.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            IpcThreads.assertNoneLeft("inf-c");
        } finally {
            slow.open();
            attached.close();
            created.close();
        }
        IpcThreads.assertNoneLeft("inf-p");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aSlowHandlerHoldsFramesBackInTheQueueWithoutLosingAny() throws Exception {
        Path dir = base.resolve("backpressure");
        RecordingHandler slow = new RecordingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                if (frames.size() % 500 == 0) {
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("bp").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("bp-c").ringSize(8).attach(slow)) {
            for (int i = 0; i < 10_000; i++) {
                created.send(numbered(i, 8));
            }
            slow.awaitFrames(10_000);
            assertThat(attached.isOpen()).isTrue();
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(number(slow.frames.get(i))).isEqualTo(i);
        }
    }

    @Test
    void aCorruptFrameClosesTheChannelNamingTheProblem() throws Exception {
        assertCorruption("magic", out -> {
            out.writeInt(0x12345678);
            out.write(new byte[20]);
        });
        assertCorruption("truncated frame: header says 100 bytes, excerpt holds 10", out -> {
            out.writeInt(FrameCodec.MAGIC);
            out.writeByte(FrameKind.DATA.code);
            out.writeInt(100);
            out.writeInt(0);
            out.write(new byte[10]);
        });
        assertCorruption("checksum mismatch", out -> {
            out.writeInt(FrameCodec.MAGIC);
            out.writeByte(FrameKind.DATA.code);
            out.writeInt(3);
            out.writeInt(0xdeadbeef);
            out.write(new byte[] {1, 2, 3});
        });
        assertCorruption("shorter than the 13-byte header", out -> out.writeInt(FrameCodec.MAGIC));
        assertCorruption("unknown frame kind 9", out -> {
            out.writeInt(FrameCodec.MAGIC);
            out.writeByte((byte) 9);
            out.writeInt(0);
            out.writeInt(0);
        });
    }

    interface ExcerptWriter {
        void write(Bytes<?> out);
    }

    /**
     * Appends one excerpt to the creator-to-attacher queue of {@code created}'s directory as a second writer would,
     * standing for a damaged file or a foreign writer.
     */
    static void appendForeignExcerpt(ChronicleChannel created, ExcerptWriter garbage) {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder
                .binary(created.directory().resolve(ChannelDirectory.CREATOR_TO_ATTACHER))
                .rollCycle(RollCycles.FIVE_MINUTELY)
                .blockSize(ChronicleChannel.blockSizeFor(created.maxFrameSize())).build();
             ExcerptAppender appender = queue.createAppender()) {
            try (DocumentContext dc = appender.writingDocument()) {
                garbage.write(dc.wire().bytes());
            }
        }
    }

    private void assertCorruption(String expected, ExcerptWriter garbage) throws Exception {
        Path dir = base.resolve("corrupt-" + Math.abs(expected.hashCode()));
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("corrupt").create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("corrupt-c").attach(chaincode)) {
            created.send(new byte[] {1});
            chaincode.awaitFrames(1);
            appendForeignExcerpt(created, garbage);
            try {
                created.send(new byte[] {2});
            } catch (ChannelClosedException alreadyToldByTheOtherSide) {
                // the attacher may have read the garbage, closed and told this side already
            }
            CloseReason reason = chaincode.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.CORRUPT_FRAME);
            assertThat(reason.message()).contains(expected).contains(ChannelDirectory.CREATOR_TO_ATTACHER);
            assertThat(chaincode.frames).hasSize(1);
            assertThat(attached.isOpen()).isFalse();
        }
        IpcThreads.assertNoneLeft("corrupt-c");
        IpcThreads.assertNoneLeft("corrupt");
    }

    @Test
    void silenceFromTheOtherSideClosesWithKeepaliveTimeout() throws Exception {
        Path dir = base.resolve("silent");
        RecordingHandler peer = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("silent")
                .keepaliveInterval(Duration.ofMillis(50)).livenessTimeout(Duration.ofMillis(400)).create(peer)) {
            // a fake other side that says one keepalive and then nothing
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder
                    .binary(dir.resolve(ChannelDirectory.ATTACHER_TO_CREATOR))
                    .rollCycle(RollCycles.FIVE_MINUTELY)
                    .blockSize(ChronicleChannel.blockSizeFor(created.maxFrameSize())).build();
                 ExcerptAppender appender = queue.createAppender();
                 DocumentContext dc = appender.writingDocument()) {
                FrameCodec.write(dc.wire().bytes(), FrameKind.KEEPALIVE, new byte[0]);
            }
            CloseReason reason = peer.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.KEEPALIVE_TIMEOUT);
            assertThat(reason.message()).contains("nothing heard from the other side").contains("liveness timeout 400 ms");
            assertThat(peer.frames).isEmpty();
        }
        IpcThreads.assertNoneLeft("silent");
        assertThat(dir).doesNotExist();
    }

    @Test
    void aHandlerBusyForLongerThanTheLivenessTimeoutIsNotTakenForSilence() throws Exception {
        Path dir = base.resolve("busy");
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                if (frames.size() == 1) {
                    try {
                        // five liveness timeouts without reading: the keepalives pile up unread in the queue
                        Thread.sleep(1_500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("busy")
                .keepaliveInterval(Duration.ofMillis(20)).livenessTimeout(Duration.ofMillis(300)).create(peer);
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("busy-c")
                     .keepaliveInterval(Duration.ofMillis(20)).livenessTimeout(Duration.ofMillis(300)).attach(chaincode)) {
            created.send(numbered(0, 8));
            created.send(numbered(1, 8));
            chaincode.awaitFrames(2);
            attached.send(numbered(2, 8));
            peer.awaitFrames(1);
            assertThat(attached.isOpen()).as("closed: %s", chaincode.closed.getNow(null)).isTrue();
            assertThat(created.isOpen()).isTrue();
        }
        assertThat(chaincode.awaitClose().kind()).isIn(CloseReason.Kind.LOCAL_CLOSE, CloseReason.Kind.REMOTE_CLOSE);
        assertThat(number(chaincode.frames.get(1))).isEqualTo(1);
    }

    @Test
    void keepalivesKeepAQuietChannelOpen() throws Exception {
        Path dir = base.resolve("quiet");
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("quiet")
                .keepaliveInterval(Duration.ofMillis(20)).livenessTimeout(Duration.ofMillis(300)).create(peer);
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("quiet-c")
                     .keepaliveInterval(Duration.ofMillis(20)).livenessTimeout(Duration.ofMillis(300)).attach(chaincode)) {
            created.send(new byte[] {1});
            chaincode.awaitFrames(1);
            Thread.sleep(1_500);
            assertThat(created.isOpen()).isTrue();
            assertThat(attached.isOpen()).isTrue();
            attached.send(new byte[] {2});
            peer.awaitFrames(1);
        }
        assertThat(peer.frames).hasSize(1);
        assertThat(chaincode.frames).hasSize(1);
    }

    @Test
    void severalChannelsSideBySideKeepTheirFramesApart() throws Exception {
        int channels = 4;
        int count = 5_000;
        List<ChronicleChannel> ends = new ArrayList<>();
        List<RecordingHandler> receivers = new ArrayList<>();
        try {
            for (int c = 0; c < channels; c++) {
                Path dir = base.resolve("side-" + c);
                ends.add(ChronicleChannel.builder(dir).name("side" + c).create(new RecordingHandler()));
                RecordingHandler receiver = new RecordingHandler();
                receivers.add(receiver);
                ends.add(ChronicleChannel.builder(dir).name("side" + c + "-c").attach(receiver));
            }
            List<Thread> senders = new ArrayList<>();
            for (int c = 0; c < channels; c++) {
                ChronicleChannel sender = ends.get(2 * c);
                int channel = c;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < count; i++) {
                        byte[] frame = numbered(i, 8);
                        frame[7] = (byte) channel;
                        sender.send(frame);
                    }
                }, "test-sender-" + c);
                senders.add(t);
                t.start();
            }
            for (Thread t : senders) {
                t.join(60_000);
            }
            for (RecordingHandler r : receivers) {
                r.awaitFrames(count);
            }
        } finally {
            for (int i = ends.size() - 1; i >= 0; i--) {
                ends.get(i).close();
            }
        }
        for (int c = 0; c < channels; c++) {
            List<byte[]> frames = receivers.get(c).frames;
            assertThat(frames).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(number(frames.get(i))).isEqualTo(i);
                assertThat(frames.get(i)[7]).isEqualTo((byte) c);
            }
        }
        for (int c = 0; c < channels; c++) {
            IpcThreads.assertNoneLeft("side" + c);
            IpcThreads.assertNoneLeft("side" + c + "-c");
        }
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theReaderDeletesEachCycleFileItHasReadPast() throws Exception {
        Path dir = base.resolve("rolling");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("roll").rollCycle(TestRollCycles.TEST_SECONDLY)
                .maxFrameSize(64 * 1024).create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("roll-c").attach(chaincode)) {
            int sent = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_500);
            while (System.nanoTime() < end) {
                created.send(numbered(sent++, 16));
                Thread.sleep(10);
            }
            chaincode.awaitFrames(sent);
            // the tailer has moved to the last cycle; Chronicle releases the older ones in the background
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (cycleFiles(dir.resolve(ChannelDirectory.CREATOR_TO_ATTACHER)) > 2 && System.nanoTime() < deadline) {
                created.send(numbered(sent++, 16));
                Thread.sleep(50);
            }
            assertThat(cycleFiles(dir.resolve(ChannelDirectory.CREATOR_TO_ATTACHER))).isLessThanOrEqualTo(2);
            chaincode.awaitFrames(sent);
            for (int i = 0; i < sent; i++) {
                assertThat(number(chaincode.frames.get(i))).isEqualTo(i);
            }
            assertThat(attached.isOpen()).isTrue();
        }
        assertThat(dir).doesNotExist();
    }

    private static long cycleFiles(Path queueDir) throws Exception {
        try (Stream<Path> files = Files.list(queueDir)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).count();
        }
    }

    @Test
    void busySpinChannelsWorkToo() throws Exception {
        Path dir = base.resolve("spin");
        RecordingHandler chaincode = new RecordingHandler();
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("spin").waitStrategy(WaitStrategy.busySpin())
                .create(new RecordingHandler());
             ChronicleChannel attached = ChronicleChannel.builder(dir).name("spin-c").waitStrategy(WaitStrategy.busySpin())
                     .attach(chaincode)) {
            for (int i = 0; i < 1000; i++) {
                created.send(numbered(i, 8));
            }
            chaincode.awaitFrames(1000);
            assertThat(attached.isOpen()).isTrue();
        }
        IpcThreads.assertNoneLeft("spin");
        IpcThreads.assertNoneLeft("spin-c");
    }

    @Test
    void attachingWhereThereIsNoChannelFailsClearly() {
        assertThatThrownBy(() -> ChronicleChannel.builder(base.resolve("nothing")).attach(new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no channel to attach to at")
                .hasMessageContaining("nothing");
    }

    @Test
    void creatingOverALiveChannelOrAnUnrelatedDirectoryIsRefused() throws Exception {
        Path dir = base.resolve("live");
        try (ChronicleChannel created = ChronicleChannel.builder(dir).name("live").create(new RecordingHandler())) {
            assertThatThrownBy(() -> ChronicleChannel.builder(dir).name("live2").create(new RecordingHandler()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by process " + ProcessHandle.current().pid());
            assertThat(created.isOpen()).isTrue();
        }
        Path unrelated = Files.createDirectories(base.resolve("unrelated"));
        Files.writeString(unrelated.resolve("precious.txt"), "keep me");
        assertThatThrownBy(() -> ChronicleChannel.builder(unrelated).create(new RecordingHandler()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not empty");
        assertThat(unrelated.resolve("precious.txt")).exists();
        IpcThreads.assertNoneLeft("live2");
    }
}
