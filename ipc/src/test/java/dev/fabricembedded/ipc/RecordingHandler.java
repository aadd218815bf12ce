package dev.fabricembedded.ipc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A handler that records what it is given and on which thread, for assertions from the test thread. */
public class RecordingHandler implements FrameHandler {

    public final List<byte[]> frames = Collections.synchronizedList(new ArrayList<>());
    public final List<String> frameThreads = Collections.synchronizedList(new ArrayList<>());
    public final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    public final AtomicInteger closeCalls = new AtomicInteger();
    public final AtomicInteger framesAfterClose = new AtomicInteger();
    public volatile String closeThread;

    @Override
    public void onFrame(FrameChannel channel, byte[] frame) {
        if (closed.isDone()) {
            framesAfterClose.incrementAndGet();
        }
        frameThreads.add(Thread.currentThread().getName());
        frames.add(frame);
    }

    @Override
    public void onClose(FrameChannel channel, CloseReason reason) {
        closeCalls.incrementAndGet();
        closeThread = Thread.currentThread().getName();
        closed.complete(reason);
    }

    /** Waits (bounded) for the close and returns its reason. */
    public CloseReason awaitClose() throws Exception {
        return closed.get(30, TimeUnit.SECONDS);
    }

    /** Waits (bounded) until at least {@code count} frames arrived. */
    public void awaitFrames(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (frames.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + frames.size() + " of " + count + " frames arrived");
            }
            Thread.sleep(1);
        }
    }
}
