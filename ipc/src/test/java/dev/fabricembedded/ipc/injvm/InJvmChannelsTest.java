package dev.fabricembedded.ipc.injvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.GatedHandler;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.IpcThreads;
import dev.fabricembedded.ipc.RecordingHandler;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class InJvmChannelsTest {

    private static byte[] numbered(int i, int size) {
        byte[] frame = new byte[Math.max(size, 4)];
        ByteBuffer.wrap(frame).putInt(i);
        return frame;
    }

    private static int number(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt();
    }

    @Test
    void deliversEveryFrameInOrderInBothDirectionsOnEachEndsEventThread() throws Exception {
        RecordingHandler a = new RecordingHandler();
        RecordingHandler b = new RecordingHandler();
        int count = 100_000;
        try (ChannelPair pair = InJvmChannels.pair("order", a, b)) {
            Thread other = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    pair.second().send(numbered(i, 16));
                }
            }, "test-sender");
            other.start();
            for (int i = 0; i < count; i++) {
                pair.first().send(numbered(i, 16));
            }
            other.join();
            a.awaitFrames(count);
            b.awaitFrames(count);
        }
        for (RecordingHandler h : List.of(a, b)) {
            assertThat(h.frames).hasSize(count);
            for (int i = 0; i < count; i++) {
                assertThat(number(h.frames.get(i))).isEqualTo(i);
            }
        }
        assertThat(b.frameThreads).containsOnly("ipc-order-b-events");
        assertThat(a.frameThreads).containsOnly("ipc-order-a-events");
        IpcThreads.assertNoneLeft("order");
    }

    @Test
    void handlerAnswersFromItsEventThread() throws Exception {
        RecordingHandler peer = new RecordingHandler();
        RecordingHandler chaincode = new RecordingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                byte[] reply = frame.clone();
                reply[4] = 1;
                channel.send(reply);
            }
        };
        try (ChannelPair pair = InJvmChannels.pair("echo", peer, chaincode)) {
            for (int i = 0; i < 1000; i++) {
                pair.first().send(numbered(i, 8));
            }
            peer.awaitFrames(1000);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(number(peer.frames.get(i))).isEqualTo(i);
            assertThat(peer.frames.get(i)[4]).isEqualTo((byte) 1);
        }
    }

    @Test
    void sendCopiesTheFrameSoTheSenderMayReuseItsArray() throws Exception {
        RecordingHandler b = new RecordingHandler();
        try (ChannelPair pair = InJvmChannels.pair("copy", new RecordingHandler(), b)) {
            byte[] buffer = {1, 2, 3};
            pair.first().send(buffer);
            buffer[0] = 9;
            pair.first().send(buffer);
            b.awaitFrames(2);
        }
        assertThat(b.frames.get(0)).containsExactly(1, 2, 3);
        assertThat(b.frames.get(1)).containsExactly(9, 2, 3);
    }

    @Test
    void refusesAnOversizedFrameAndStaysOpen() throws Exception {
        RecordingHandler b = new RecordingHandler();
        try (ChannelPair pair = InJvmChannels.builder("big").maxFrameSize(1024).pair(new RecordingHandler(), b)) {
            assertThatThrownBy(() -> pair.first().send(new byte[1025]))
                    .isInstanceOf(FrameTooLargeException.class)
                    .hasMessageContaining("1025")
                    .hasMessageContaining("1024")
                    .hasMessageContaining("big");
            pair.first().send(new byte[1024]);
            b.awaitFrames(1);
            assertThat(pair.first().isOpen()).isTrue();
        }
        assertThat(b.frames).hasSize(1);
        assertThat(b.frames.get(0)).hasSize(1024);
    }

    @Test
    void defaultMaximumIsSixteenMebibytes() throws Exception {
        RecordingHandler b = new RecordingHandler();
        try (ChannelPair pair = InJvmChannels.pair("default-max", new RecordingHandler(), b)) {
            pair.first().send(new byte[16 * 1024 * 1024]);
            assertThatThrownBy(() -> pair.first().send(new byte[16 * 1024 * 1024 + 1]))
                    .isInstanceOf(FrameTooLargeException.class);
            b.awaitFrames(1);
        }
        assertThat(b.frames.get(0)).hasSize(16 * 1024 * 1024);
    }

    @Test
    void closeIsReportedLocallyOnceAndRemotelyAfterTheFramesSentBeforeIt() throws Exception {
        RecordingHandler a = new RecordingHandler();
        RecordingHandler b = new RecordingHandler();
        ChannelPair pair = InJvmChannels.pair("close", a, b);
        for (int i = 0; i < 500; i++) {
            pair.first().send(numbered(i, 4));
        }
        pair.first().close();
        pair.first().close();

        assertThat(a.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        assertThat(b.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        assertThat(b.frames).hasSize(500);
        assertThat(pair.first().isOpen()).isFalse();
        assertThat(pair.second().isOpen()).isFalse();
        assertThatThrownBy(() -> pair.first().send(new byte[1]))
                .isInstanceOf(ChannelClosedException.class)
                .satisfies(e -> assertThat(((ChannelClosedException) e).reason().kind())
                        .isEqualTo(CloseReason.Kind.LOCAL_CLOSE));
        assertThatThrownBy(() -> pair.second().send(new byte[1]))
                .isInstanceOf(ChannelClosedException.class)
                .satisfies(e -> assertThat(((ChannelClosedException) e).reason().kind())
                        .isEqualTo(CloseReason.Kind.REMOTE_CLOSE));
        pair.close();
        assertThat(a.closeCalls).hasValue(1);
        assertThat(b.closeCalls).hasValue(1);
        assertThat(a.closeThread).isEqualTo("ipc-close-a-events");
        assertThat(b.closeThread).isEqualTo("ipc-close-b-events");
        IpcThreads.assertNoneLeft("close");
    }

    @Test
    void closeWithFramesInFlightDiscardsThemAndDeliversNothingAfterOnClose() throws Exception {
        GatedHandler slow = new GatedHandler();
        RecordingHandler a = new RecordingHandler();
        ChannelPair pair = InJvmChannels.builder("inflight").ringSize(64).pair(a, slow);
        pair.first().send(numbered(0, 4));
        assertThat(slow.awaitFirstFrame()).isTrue();
        for (int i = 1; i < 60; i++) {
            pair.first().send(numbered(i, 4));
        }
        Thread closer = new Thread(pair.second()::close, "test-closer");
        closer.start();
        while (pair.second().isOpen()) {
            Thread.sleep(1);
        }
        slow.open();
        closer.join(30_000);

        assertThat(slow.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        assertThat(slow.frames).hasSize(1);
        assertThat(slow.framesAfterClose).hasValue(0);
        assertThat(a.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        pair.close();
        IpcThreads.assertNoneLeft("inflight");
    }

    @Test
    void aFullRingMakesTheSenderWaitAndLosesNothing() throws Exception {
        RecordingHandler b = new RecordingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                if (frames.size() % 100 == 0) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        try (ChannelPair pair = InJvmChannels.builder("full").ringSize(4).pair(new RecordingHandler(), b)) {
            for (int i = 0; i < 5_000; i++) {
                pair.first().send(numbered(i, 4));
            }
            b.awaitFrames(5_000);
        }
        for (int i = 0; i < 5_000; i++) {
            assertThat(number(b.frames.get(i))).isEqualTo(i);
        }
    }

    @Test
    void aFailingHandlerClosesItsEndAndTheOtherSeesARemoteClose() throws Exception {
        RecordingHandler a = new RecordingHandler();
        RecordingHandler failing = new RecordingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                throw new IllegalStateException("boom");
            }
        };
        try (ChannelPair pair = InJvmChannels.pair("failing", a, failing)) {
            pair.first().send(new byte[1]);
            CloseReason reason = failing.awaitClose();
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.HANDLER_FAILED);
            assertThat(reason.message()).contains("boom");
            assertThat(a.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        }
        assertThat(failing.closeCalls).hasValue(1);
        IpcThreads.assertNoneLeft("failing");
    }

    @Test
    void aHandlerMayCloseItsOwnChannel() throws Exception {
        RecordingHandler a = new RecordingHandler();
        RecordingHandler closing = new RecordingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                channel.close();
            }
        };
        try (ChannelPair pair = InJvmChannels.pair("self-close", a, closing)) {
            pair.first().send(new byte[1]);
            pair.first().send(new byte[2]);
            assertThat(closing.awaitClose().kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(a.awaitClose().kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        }
        assertThat(closing.frames).hasSize(1);
        assertThat(closing.closeCalls).hasValue(1);
        IpcThreads.assertNoneLeft("self-close");
    }

    @Test
    void busySpinPairsWorkToo() throws Exception {
        RecordingHandler b = new RecordingHandler();
        try (ChannelPair pair = InJvmChannels.builder("spin")
                .waitStrategy(dev.fabricembedded.ipc.WaitStrategy.busySpin()).pair(new RecordingHandler(), b)) {
            for (int i = 0; i < 1000; i++) {
                pair.first().send(numbered(i, 4));
            }
            b.awaitFrames(1000);
        }
        IpcThreads.assertNoneLeft("spin");
    }
}
