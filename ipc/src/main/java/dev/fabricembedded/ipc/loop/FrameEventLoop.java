package dev.fabricembedded.ipc.loop;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.WaitStrategy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of one channel end: a Disruptor ring that transport threads publish frames into, and
 * one event-loop thread ({@code ipc-<name>-events}) that takes them out in order and calls the end's
 * {@link FrameHandler}.
 *
 * <p>Guarantees: frames are delivered in publication order, one at a time, on the event-loop thread only;
 * {@link FrameHandler#onClose} is called exactly once, on that thread, after which nothing else is delivered
 * and the thread ends. A full ring makes {@link #publish} wait (nothing is dropped) until there is room or
 * the loop is closing.
 *
 * <p>Closing comes in two flavours. {@link #closeOrdered} (the other end closed in an orderly way) queues
 * a close marker behind the frames already published, which are all delivered first. {@link #closeNow}
 * (local close, failures) discards what is still queued and delivers {@code onClose} as soon as the
 * event-loop thread gets to it. The first close wins and fixes the {@link CloseReason}; later calls only
 * hasten the end (a later {@code closeNow} discards the frames in front of a pending ordered close).
 *
 * <p>The ring is multi-producer: the channel's transport thread and any thread calling {@code close} may
 * publish. The handler's state is owned by the event-loop thread.
 */
public final class FrameEventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(FrameEventLoop.class);

    private final String name;
    private final FrameChannel channel;
    private final FrameHandler handler;
    private final WaitStrategy waitStrategy;
    private final Runnable afterClose;
    private final RingBuffer<FrameEvent> ring;
    private final BatchEventProcessor<FrameEvent> processor;
    private final Thread thread;
    private final AtomicReference<CloseReason> reason = new AtomicReference<>();
    private volatile boolean discardPending;
    private volatile boolean terminated;
    /** Owned by the event-loop thread. */
    private boolean closeDelivered;

    /**
     * @param name         channel name, used in the thread name {@code ipc-<name>-events}
     * @param channel      the channel end passed to the handler
     * @param handler      receives frames and the close, on the event-loop thread
     * @param waitStrategy how the event-loop thread and blocked publishers wait
     * @param ringSize     slots in the ring, a power of two
     * @param afterClose   run on the event-loop thread right after {@code onClose} (releases the transport);
     *                     must not throw
     */
    public FrameEventLoop(String name, FrameChannel channel, FrameHandler handler, WaitStrategy waitStrategy,
                          int ringSize, Runnable afterClose) {
        this.name = Objects.requireNonNull(name, "name");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
        this.afterClose = Objects.requireNonNull(afterClose, "afterClose");
        if (ringSize <= 0 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a positive power of two, got " + ringSize);
        }
        this.ring = RingBuffer.createMultiProducer(FrameEvent::new, ringSize, new RingWaitStrategy(waitStrategy));
        this.processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), new Consumer());
        this.processor.setExceptionHandler(new LoggingExceptionHandler());
        this.ring.addGatingSequences(processor.getSequence());
        this.thread = new Thread(processor, "ipc-" + name + "-events");
        this.thread.setDaemon(true);
    }

    /** Starts the event-loop thread. */
    public void start() {
        thread.start();
    }

    /**
     * Publishes one inbound frame, waiting while the ring is full.
     *
     * @return {@code false} if the loop is closed or closing and the frame will not be delivered
     */
    public boolean publish(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        return publish(FrameEvent.Kind.FRAME, frame, true);
    }

    /**
     * Closes in order: frames already published are delivered, then {@code onClose(reason)}.
     *
     * @return {@code true} if this call closed the loop, {@code false} if it was already closed or closing
     */
    public boolean closeOrdered(CloseReason closeReason) {
        if (!reason.compareAndSet(null, Objects.requireNonNull(closeReason, "closeReason"))) {
            return false;
        }
        if (isEventThread()) {
            // the marker could not be published from here if the ring were full; closing now is equivalent
            // for the caller on this thread, which is not waiting for the queued frames
            discardPending = true;
        } else if (!publish(FrameEvent.Kind.CLOSE, null, false)) {
            wake();
        }
        return true;
    }

    /**
     * Closes at once: frames not yet delivered are discarded and {@code onClose} is delivered next with the
     * first close reason (this one unless the loop was already closing).
     *
     * @return {@code true} if this call fixed the close reason
     */
    public boolean closeNow(CloseReason closeReason) {
        boolean won = reason.compareAndSet(null, Objects.requireNonNull(closeReason, "closeReason"));
        discardPending = true;
        if (!isEventThread()) {
            wake();
        }
        return won;
    }

    /** The reason the loop closed or is closing, or {@code null} while open. */
    public CloseReason closeReason() {
        return reason.get();
    }

    /** {@code true} until a close has been requested. */
    public boolean isOpen() {
        return reason.get() == null;
    }

    /** {@code true} on the event-loop thread. */
    public boolean isEventThread() {
        return Thread.currentThread() == thread;
    }

    /** {@code true} once the handler has seen {@code onClose}; the thread ends right after releasing the transport. */
    public boolean isTerminated() {
        return terminated;
    }

    /**
     * Waits for the event-loop thread to end. Returns at once, {@code true}, on the event-loop thread itself
     * (it ends as soon as the current handler call returns).
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (isEventThread()) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    private boolean publish(FrameEvent.Kind kind, byte[] frame, boolean refuseWhenClosing) {
        int idleCount = 0;
        while (true) {
            if (discardPending || terminated || refuseWhenClosing && reason.get() != null) {
                return false;
            }
            try {
                long sequence = ring.tryNext();
                ring.get(sequence).set(kind, frame);
                ring.publish(sequence);
                return true;
            } catch (InsufficientCapacityException full) {
                waitStrategy.idle(idleCount);
                if (idleCount < Integer.MAX_VALUE) {
                    idleCount++;
                }
            }
        }
    }

    /** Best effort: if the ring is full the consumer is busy and sees the close flags at its next event. */
    private void wake() {
        try {
            long sequence = ring.tryNext();
            ring.get(sequence).set(FrameEvent.Kind.WAKE, null);
            ring.publish(sequence);
        } catch (InsufficientCapacityException full) {
            // the event-loop thread has events to process and checks discardPending before each one
        }
    }

    private void deliverClose(CloseReason closeReason) {
        closeDelivered = true;
        try {
            handler.onClose(channel, closeReason);
        } catch (RuntimeException | Error e) {
            LOG.warn("channel {}: handler failed in onClose({})", name, closeReason, e);
        }
        terminated = true;
        try {
            afterClose.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("channel {}: releasing the transport failed", name, e);
        }
        processor.halt();
    }

    /** Runs on the event-loop thread. */
    private final class Consumer implements EventHandler<FrameEvent> {
        @Override
        public void onEvent(FrameEvent event, long sequence, boolean endOfBatch) {
            FrameEvent.Kind kind = event.kind;
            byte[] frame = event.frame;
            event.clear();
            if (closeDelivered) {
                return;
            }
            if (discardPending) {
                deliverClose(reason.get());
                return;
            }
            if (kind == FrameEvent.Kind.CLOSE) {
                deliverClose(reason.get());
                return;
            }
            if (kind != FrameEvent.Kind.FRAME) {
                return;
            }
            try {
                handler.onFrame(channel, frame);
            } catch (Throwable e) {
                LOG.error("channel {}: frame handler failed, closing the channel", name, e);
                closeNow(new CloseReason(CloseReason.Kind.HANDLER_FAILED,
                        "frame handler failed: " + e));
            }
            if (discardPending && !closeDelivered) {
                deliverClose(reason.get());
            }
        }
    }

    private final class LoggingExceptionHandler implements ExceptionHandler<FrameEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, FrameEvent event) {
            LOG.error("channel {}: unexpected failure on the event-loop thread", name, ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            LOG.error("channel {}: event loop failed to start", name, ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            LOG.error("channel {}: event loop failed to stop", name, ex);
        }
    }
}
