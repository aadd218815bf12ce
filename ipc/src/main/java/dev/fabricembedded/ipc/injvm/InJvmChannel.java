package dev.fabricembedded.ipc.injvm;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ipc.InboundLease;
import dev.fabricembedded.ipc.loop.FrameEventLoop;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of an in-JVM channel: {@link #send} copies the frame into the other end's ring, and this end's
 * own {@link FrameEventLoop} delivers what the other end sends, and the tasks given to {@link #execute}, in
 * the order they were published. Whatever closes this end (a local close, a failing handler), the other end
 * then receives an orderly {@code REMOTE_CLOSE} behind the frames already sent to it.
 */
final class InJvmChannel implements FrameChannel, HandlerExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(InJvmChannel.class);
    private static final CloseReason LOCAL = new CloseReason(CloseReason.Kind.LOCAL_CLOSE, "closed by its owner");
    private static final CloseReason REMOTE = new CloseReason(CloseReason.Kind.REMOTE_CLOSE, "the other end closed");

    private final String name;
    private final int maxFrameSize;
    private final Duration closeTimeout;
    /** Set once by {@link #connect}, before any thread starts. */
    private FrameEventLoop inbound;
    private InJvmChannel other;

    InJvmChannel(String name, int maxFrameSize, Duration closeTimeout) {
        this.name = name;
        this.maxFrameSize = maxFrameSize;
        this.closeTimeout = closeTimeout;
    }

    void connect(FrameEventLoop inboundLoop, InJvmChannel otherEnd) {
        this.inbound = inboundLoop;
        this.other = otherEnd;
    }

    /** Runs on this end's event-loop thread once its handler has seen {@code onClose}. */
    void afterClose() {
        other.inbound.closeOrdered(REMOTE);
    }

    FrameEventLoop inbound() {
        return inbound;
    }

    @Override
    public void send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length > maxFrameSize) {
            throw new FrameTooLargeException(name, frame.length, maxFrameSize);
        }
        CloseReason closed = inbound.closeReason();
        if (closed != null) {
            throw new ChannelClosedException(name, closed);
        }
        if (!other.inbound.publish(frame.clone())) {
            closed = inbound.closeReason();
            throw new ChannelClosedException(name, closed != null ? closed : REMOTE);
        }
    }

    @Override
    public boolean isOpen() {
        return inbound.isOpen();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void execute(Runnable task) {
        inbound.execute(task);
    }

    @Override
    public boolean inHandlerThread() {
        return inbound.isEventThread();
    }

    /**
     * Always {@code null}: frames reach this end by publication into its event loop's ring, there is no queue a
     * waiting thread could read instead, and a publication already wakes the event-loop thread at once.
     */
    @Override
    public InboundLease tryLeaseInbound() {
        return null;
    }

    @Override
    public void close() {
        inbound.closeNow(LOCAL);
        try {
            if (!inbound.awaitTermination(closeTimeout)) {
                LOG.warn("channel {}: event-loop thread still busy in the handler {} after close", name, closeTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "InJvmChannel[" + name + (isOpen() ? ", open]" : ", " + inbound.closeReason() + "]");
    }
}
