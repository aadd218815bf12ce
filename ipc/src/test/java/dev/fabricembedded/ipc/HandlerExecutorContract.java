package dev.fabricembedded.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.injvm.ChannelPair;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What every channel's {@link HandlerExecutor} guarantees, run against each implementation by a subclass.
 * The handlers below keep their log in a plain {@link ArrayList}, touched only on the event-loop thread: the
 * tests read it through a last task, so a task run on any other thread would show up as a wrong thread name
 * or a lost entry.
 */
public abstract class HandlerExecutorContract {

    /** Opens two connected ends, {@code first} and {@code second}, with these handlers and a unique name. */
    protected abstract ChannelPair open(String name, FrameHandler first, FrameHandler second) throws Exception;

    /** The thread name of the first end's event-loop thread for a channel opened as {@code name}. */
    protected abstract String firstEventThread(String name);

    static byte[] numbered(int i) {
        byte[] frame = new byte[8];
        ByteBuffer.wrap(frame).putInt(i);
        return frame;
    }

    static int number(byte[] frame) {
        return ByteBuffer.wrap(frame).getInt();
    }

    /** A handler that logs frames and its close in a list owned by its event-loop thread. */
    static class LoggingHandler implements FrameHandler {
        final List<String> log = new ArrayList<>();
        final List<String> threads = new ArrayList<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        @Override
        public void onFrame(FrameChannel channel, byte[] frame) {
            threads.add(Thread.currentThread().getName());
            log.add("frame " + number(frame));
        }

        @Override
        public void onClose(FrameChannel channel, CloseReason reason) {
            log.add("close " + reason.kind());
            closed.complete(reason);
        }
    }

    /** A copy of the handler's log, taken on its event-loop thread. */
    private static List<String> snapshot(FrameChannel channel, LoggingHandler handler) throws Exception {
        CompletableFuture<List<String>> copy = new CompletableFuture<>();
        HandlerExecutor.of(channel).execute(() -> copy.complete(new ArrayList<>(handler.log)));
        return copy.get(60, TimeUnit.SECONDS);
    }

    private static void awaitLogSize(FrameChannel channel, LoggingHandler handler, int size) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (snapshot(channel, handler).size() < size) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("log still shorter than " + size + ": " + snapshot(channel, handler).size());
            }
            Thread.sleep(5);
        }
    }

    @Test
    void tasksFromAnotherThreadRunOnTheHandlerThreadInOrderBetweenFrames() throws Exception {
        String name = "exec-order-" + suffix();
        LoggingHandler first = new LoggingHandler();
        int count = 10_000;
        try (ChannelPair pair = open(name, first, new LoggingHandler())) {
            HandlerExecutor executor = HandlerExecutor.of(pair.first());
            Thread worker = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    int n = i;
                    executor.execute(() -> {
                        first.threads.add(Thread.currentThread().getName() + (executor.inHandlerThread() ? "" : " (not handler)"));
                        first.log.add("task " + n);
                    });
                }
            }, "test-worker");
            worker.start();
            for (int i = 0; i < count; i++) {
                pair.second().send(numbered(i));
            }
            worker.join(60_000);
            awaitLogSize(pair.first(), first, 2 * count);
            List<String> log = snapshot(pair.first(), first);
            assertThat(log.stream().filter(e -> e.startsWith("task ")))
                    .containsExactlyElementsOf(sequence("task ", count));
            assertThat(log.stream().filter(e -> e.startsWith("frame ")))
                    .containsExactlyElementsOf(sequence("frame ", count));
            assertThat(executor.inHandlerThread()).isFalse();
        }
        assertThat(first.threads).hasSize(2 * count).containsOnly(firstEventThread(name));
    }

    @Test
    void aTaskSubmittedOnTheHandlerThreadRunsBeforeTheNextFrame() throws Exception {
        String name = "exec-self-" + suffix();
        int count = 2_000;
        LoggingHandler first = new LoggingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                int n = number(frame);
                HandlerExecutor executor = HandlerExecutor.of(channel);
                executor.execute(() -> {
                    log.add("task " + n);
                    executor.execute(() -> log.add("nested " + n));
                });
            }
        };
        try (ChannelPair pair = open(name, first, new LoggingHandler())) {
            // sent in one burst, so the frames are queued behind each other when the tasks are submitted
            for (int i = 0; i < count; i++) {
                pair.second().send(numbered(i));
            }
            awaitLogSize(pair.first(), first, 3 * count);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                expected.add("frame " + i);
                expected.add("task " + i);
                expected.add("nested " + i);
            }
            assertThat(snapshot(pair.first(), first)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aTaskRunsBeforeAnyFrameTheOtherEndSendsAfterExecuteReturned() throws Exception {
        String name = "exec-causal-" + suffix();
        int count = 2_000;
        LoggingHandler first = new LoggingHandler();
        FrameHandler echo = (channel, frame) -> channel.send(frame);
        try (ChannelPair pair = open(name, first, echo)) {
            HandlerExecutor executor = HandlerExecutor.of(pair.first());
            for (int i = 0; i < count; i++) {
                int n = i;
                executor.execute(() -> first.log.add("task " + n));
                pair.first().send(numbered(i));
            }
            awaitLogSize(pair.first(), first, 2 * count);
            List<String> log = snapshot(pair.first(), first);
            for (int i = 0; i < count; i++) {
                assertThat(log.indexOf("task " + i)).as("task %d before the echo of frame %d", i, i)
                        .isGreaterThanOrEqualTo(0).isLessThan(log.indexOf("frame " + i));
            }
        }
    }

    @Test
    void executeIsRefusedOnceClosedAndTasksWaitingAtALocalCloseAreDropped() throws Exception {
        String name = "exec-closed-" + suffix();
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LoggingHandler first = new LoggingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                inHandler.countDown();
                await(release);
            }
        };
        AtomicBoolean dropped = new AtomicBoolean(true);
        try (ChannelPair pair = open(name, first, new LoggingHandler())) {
            HandlerExecutor executor = HandlerExecutor.of(pair.first());
            pair.second().send(numbered(1));
            assertThat(inHandler.await(60, TimeUnit.SECONDS)).isTrue();
            executor.execute(() -> dropped.set(false));
            Thread closer = new Thread(pair.first()::close, "test-closer");
            closer.start();
            while (pair.first().isOpen()) {
                Thread.sleep(1);
            }
            assertThatThrownBy(() -> executor.execute(() -> { }))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("LOCAL_CLOSE")
                    .hasCauseInstanceOf(ChannelClosedException.class);
            release.countDown();
            closer.join(60_000);
            assertThat(first.closed.get(60, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        } finally {
            release.countDown();
        }
        assertThat(dropped).isTrue();
        assertThat(first.log).containsExactly("frame 1", "close LOCAL_CLOSE");
    }

    @Test
    void tasksAcceptedBeforeAnOrderlyRemoteCloseRunBeforeOnClose() throws Exception {
        String name = "exec-remote-" + suffix();
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LoggingHandler first = new LoggingHandler() {
            @Override
            public void onFrame(FrameChannel channel, byte[] frame) {
                super.onFrame(channel, frame);
                inHandler.countDown();
                await(release);
            }
        };
        LoggingHandler second = new LoggingHandler();
        try (ChannelPair pair = open(name, first, second)) {
            pair.second().send(numbered(1));
            assertThat(inHandler.await(60, TimeUnit.SECONDS)).isTrue();
            HandlerExecutor.of(pair.first()).execute(() -> first.log.add("task"));
            pair.second().close();
            assertThat(second.closed.get(60, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            release.countDown();
            assertThat(first.closed.get(60, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        } finally {
            release.countDown();
        }
        assertThat(first.log).containsExactly("frame 1", "task", "close REMOTE_CLOSE");
    }

    @Test
    void aFailingTaskClosesTheChannelLikeAFailingHandler() throws Exception {
        String name = "exec-fail-" + suffix();
        LoggingHandler first = new LoggingHandler();
        LoggingHandler second = new LoggingHandler();
        try (ChannelPair pair = open(name, first, second)) {
            // a conversation has begun, as it always has by the time a handler's task runs
            pair.first().send(numbered(7));
            awaitLogSize(pair.second(), second, 1);
            HandlerExecutor.of(pair.first()).execute(() -> {
                throw new IllegalStateException("ledger said no");
            });
            CloseReason reason = first.closed.get(60, TimeUnit.SECONDS);
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.HANDLER_FAILED);
            assertThat(reason.message()).contains("ledger said no");
            assertThat(second.closed.get(60, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
        }
        IpcThreads.assertNoneLeft(name);
    }

    @Test
    void ofRefusesAChannelThatIsNotOneOfThisModule() {
        FrameChannel foreign = new FrameChannel() {
            @Override
            public void send(byte[] frame) {
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public String name() {
                return "foreign";
            }

            @Override
            public void close() {
            }
        };
        assertThatThrownBy(() -> HandlerExecutor.of(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel foreign")
                .hasMessageContaining("has no handler executor");
    }

    private static List<String> sequence(String prefix, int count) {
        List<String> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(prefix + i);
        }
        return list;
    }

    private static String suffix() {
        return Long.toString(System.nanoTime() & 0xffffff, 36);
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
