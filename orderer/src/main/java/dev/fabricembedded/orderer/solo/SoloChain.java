package dev.fabricembedded.orderer.solo;

import dev.fabricembedded.ledger.block.BlockStore;
import dev.fabricembedded.orderer.BlockListener;
import dev.fabricembedded.orderer.OrdererException;
import dev.fabricembedded.orderer.Subscription;
import dev.fabricembedded.orderer.block.BlockSigner;
import dev.fabricembedded.orderer.block.BlockWriter;
import dev.fabricembedded.orderer.blockcutter.BlockCutter;
import dev.fabricembedded.orderer.blockcutter.OrderedBatches;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.msgprocessor.FilterResult;
import dev.fabricembedded.orderer.msgprocessor.RuleSet;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * One channel of the solo orderer: Fabric's solo consenter loop ({@code orderer/consensus/solo/consensus.go},
 * fabric-1.4-flow.md §5.3) on its own named thread, the single writer of the channel's chain.
 *
 * <p>The loop takes accepted envelopes from a bounded queue and runs the {@link BlockCutter}; each batch it emits
 * becomes a block (built, signed and synced by the {@link BlockWriter}). The BatchTimeout timer starts when
 * something becomes pending and is cleared when nothing is; when it fires, the pending batch is cut. Subscribers are
 * woken after each block is on disk and read it from the store on their own threads.
 *
 * <p>Closing stops admission (broadcasts then get SERVICE_UNAVAILABLE), lets the loop order everything already
 * accepted and cut the last pending batch, then ends the subscriptions and closes the store: an envelope answered
 * with SUCCESS is in a block after a clean close. If writing a block fails, the chain halts (as Fabric's orderer
 * panics) and further broadcasts are answered SERVICE_UNAVAILABLE.
 *
 * <p>Thread ownership: the cutter and the writer belong to the ordering thread; {@link #order(Envelope)} runs the
 * filters on the caller's thread and only enqueues.
 */
final class SoloChain implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SoloChain.class);
    private static final long OFFER_WAIT_MILLIS = 100;

    /** An accepted envelope on its way to the ordering thread; {@link #STOP} ends the loop. */
    private record Pending(Envelope envelope) {
    }

    private static final Pending STOP = new Pending(null);

    private final ChannelConfig config;
    private final BlockStore store;
    private final BlockWriter writer;
    private final BlockCutter cutter;
    private final RuleSet filters;
    private final Duration closeTimeout;
    private final BlockingQueue<Pending> queue;
    private final ReentrantReadWriteLock admission = new ReentrantReadWriteLock();
    private final ReentrantLock heightLock = new ReentrantLock();
    private final Condition newBlock = heightLock.newCondition();
    private final Set<DeliverySubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicLong subscriptionIds = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean closed;
    private volatile Throwable failure;

    SoloChain(ChannelConfig config, BlockStore store, BlockSigner signer, RuleSet filters, int queueCapacity,
            Duration closeTimeout) {
        this.config = config;
        this.store = store;
        this.writer = new BlockWriter(store, signer);
        this.cutter = new BlockCutter(config.batchSettings());
        this.filters = filters;
        this.closeTimeout = closeTimeout;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "solo-orderer-" + config.channelId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
        LOG.info("channel {}: ordering from height {} (batch: {} messages, {} preferred bytes, timeout {})",
                channelId(), store.height(), config.batchSettings().maxMessageCount(),
                config.batchSettings().preferredMaxBytes(), config.batchSettings().batchTimeout());
    }

    String channelId() {
        return config.channelId();
    }

    ChannelConfig config() {
        return config;
    }

    long height() {
        return store.height();
    }

    /** The stored genesis block. */
    Block genesisBlock() {
        return store.blockByNumber(0).orElseThrow(() -> new OrdererException(OrdererException.Reason.STORAGE,
                "channel " + channelId() + ": genesis block missing"));
    }

    /** Filters an envelope on the caller's thread, then queues it for ordering. */
    BroadcastResponse order(Envelope envelope) {
        FilterResult verdict = filters.apply(envelope);
        if (!verdict.isAccepted()) {
            return response(verdict.status(), verdict.message());
        }
        admission.readLock().lock();
        try {
            while (true) {
                if (stopping) {
                    return response(Status.SERVICE_UNAVAILABLE, "channel " + channelId() + " is closing");
                }
                Throwable halted = failure;
                if (halted != null) {
                    return response(Status.SERVICE_UNAVAILABLE, "channel " + channelId() + " has halted: " + halted);
                }
                if (queue.offer(new Pending(envelope), OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                    return response(Status.SUCCESS, "");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return response(Status.SERVICE_UNAVAILABLE, "interrupted while waiting to enqueue the message");
        } finally {
            admission.readLock().unlock();
        }
    }

    Subscription subscribe(long fromHeight, BlockListener listener) {
        if (fromHeight < 0) {
            throw new IllegalArgumentException("fromHeight must be >= 0, got " + fromHeight);
        }
        admission.readLock().lock();
        try {
            if (stopping) {
                throw new OrdererException(OrdererException.Reason.CLOSED, "channel " + channelId() + " is closed");
            }
            DeliverySubscription subscription = new DeliverySubscription(this, fromHeight, listener,
                    "orderer-deliver-" + channelId() + "-" + subscriptionIds.incrementAndGet(), closeTimeout);
            subscriptions.add(subscription);
            subscription.start();
            return subscription;
        } finally {
            admission.readLock().unlock();
        }
    }

    /**
     * Waits until block {@code number} is stored and returns it; empty when {@code stop} becomes true or the chain
     * closes first.
     */
    Optional<Block> awaitBlock(long number, BooleanSupplier stop) throws InterruptedException {
        heightLock.lock();
        try {
            while (store.height() <= number) {
                if (stop.getAsBoolean() || closed) {
                    return Optional.empty();
                }
                newBlock.await();
            }
        } finally {
            heightLock.unlock();
        }
        return store.blockByNumber(number);
    }

    /** Block {@code number} if it is stored already; never waits. */
    Optional<Block> storedBlock(long number) {
        return store.height() > number ? store.blockByNumber(number) : Optional.empty();
    }

    void wakeSubscribers() {
        heightLock.lock();
        try {
            newBlock.signalAll();
        } finally {
            heightLock.unlock();
        }
    }

    void removed(DeliverySubscription subscription) {
        subscriptions.remove(subscription);
    }

    private void run() {
        long deadline = 0;
        boolean timerRunning = false;
        try {
            while (true) {
                Pending next;
                if (!timerRunning) {
                    next = queue.take();
                } else {
                    long wait = deadline - System.nanoTime();
                    next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                }
                if (next == null) { // the batch timer fired
                    timerRunning = false;
                    List<Envelope> batch = cutter.cut();
                    if (batch.isEmpty()) {
                        LOG.warn("channel {}: Batch timer expired with no pending requests, this might indicate a bug",
                                channelId());
                    } else {
                        write(batch);
                    }
                    continue;
                }
                if (next == STOP) {
                    List<Envelope> batch = cutter.cut();
                    if (!batch.isEmpty()) {
                        write(batch);
                    }
                    return;
                }
                OrderedBatches ordered = cutter.ordered(next.envelope());
                for (List<Envelope> batch : ordered.batches()) {
                    write(batch);
                }
                if (timerRunning && !ordered.pending()) {
                    timerRunning = false;
                } else if (!timerRunning && ordered.pending()) {
                    timerRunning = true;
                    deadline = System.nanoTime() + config.batchSettings().batchTimeout().toNanos();
                }
            }
        } catch (InterruptedException e) {
            failure = e;
            LOG.error("channel {}: ordering thread interrupted, the chain halts at height {}", channelId(),
                    store.height());
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("channel {}: writing block {} failed, the chain halts", channelId(), writer.height(), e);
        }
    }

    private void write(List<Envelope> batch) {
        Block block = writer.write(batch);
        LOG.debug("channel {}: wrote block {} with {} envelopes", channelId(), block.getHeader().getNumber(),
                batch.size());
        wakeSubscribers();
    }

    private static BroadcastResponse response(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }

    /** Orders what was accepted, ends subscriptions and closes the store. Idempotent. */
    @Override
    public void close() {
        admission.writeLock().lock();
        try {
            if (stopping) {
                return;
            }
            stopping = true;
        } finally {
            admission.writeLock().unlock();
        }
        try {
            while (thread.isAlive() && !queue.offer(STOP, OFFER_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.debug("channel {}: waiting for queue space to stop", channelId());
            }
            thread.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("channel {}: ordering thread did not end within {}", channelId(), closeTimeout);
        }
        for (DeliverySubscription subscription : new ArrayList<>(subscriptions)) {
            subscription.close();
        }
        closed = true;
        wakeSubscribers();
        store.close();
        LOG.info("channel {}: closed at height {}", channelId(), writer.height());
    }
}
