package dev.fabricembedded.ipc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RecordingHandler} whose every {@code onFrame} records the frame and then holds the event-loop thread until
 * the test {@link #open}s the gate: a handler stuck on its first frame, with frames piling up behind it.
 */
public class GatedHandler extends RecordingHandler {

    private final CountDownLatch firstArrived = new CountDownLatch(1);
    private final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public void onFrame(FrameChannel channel, byte[] frame) {
        super.onFrame(channel, frame);
        firstArrived.countDown();
        try {
            gate.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) until the first frame is being handled; {@code false} if it did not come. */
    public boolean awaitFirstFrame() throws InterruptedException {
        return firstArrived.await(30, TimeUnit.SECONDS);
    }

    /** Lets this and every later frame through. */
    public void open() {
        gate.countDown();
    }
}
