package dev.fabricembedded.orderer.solo;

import dev.fabricembedded.orderer.BlockBatchListener;
import dev.fabricembedded.orderer.BlockListener;
import dev.fabricembedded.orderer.Subscription;
import org.hyperledger.fabric.protos.common.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One subscriber's delivery: a named thread that reads the chain's blocks from the block store in order and hands
 * them to the listener, then waits on the chain for the next one. Reading from the store (not from a hand-off
 * queue) is what keeps a slow subscriber from ever holding up the ordering thread or using unbounded memory.
 * A {@link BlockBatchListener} gets, with the next block, the following ones that are already stored (up to
 * {@value #MAX_BATCH} blocks); any other listener gets one block at a time.
 *
 * <p>Thread ownership: {@link #nextBlock} is written by the delivery thread only; {@link #close()} may be called from
 * any thread, including the listener's own.
 */
final class DeliverySubscription implements Subscription, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverySubscription.class);
    /**
     * Most blocks handed to a {@link BlockBatchListener} at once: enough for a pipelining listener to hide nearly all
     * but one block's serial work per batch, few enough that {@link #close()} waits for a bounded amount of work.
     */
    static final int MAX_BATCH = 8;

    private final SoloChain chain;
    private final BlockListener listener;
    private final Duration closeTimeout;
    private final Thread thread;
    private volatile long nextBlock;
    private volatile boolean closed;
    private volatile Throwable failure;

    DeliverySubscription(SoloChain chain, long fromHeight, BlockListener listener, String threadName,
            Duration closeTimeout) {
        this.chain = chain;
        this.listener = listener;
        this.closeTimeout = closeTimeout;
        this.nextBlock = fromHeight;
        this.thread = new Thread(this, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                long number = nextBlock;
                Optional<Block> block = chain.awaitBlock(number, () -> closed);
                if (block.isEmpty()) {
                    break;
                }
                if (listener instanceof BlockBatchListener batchListener) {
                    List<Block> blocks = withStoredSuccessors(block.get(), number);
                    if (blocks.size() == 1) {
                        listener.onBlock(blocks.get(0));
                    } else {
                        batchListener.onBlocks(blocks);
                    }
                    nextBlock = number + blocks.size();
                } else {
                    listener.onBlock(block.get());
                    nextBlock = number + 1;
                }
            }
        } catch (InterruptedException e) {
            if (!closed) {
                failure = e;
                LOG.warn("delivery of channel {} interrupted at block {}", chain.channelId(), nextBlock);
            }
        } catch (Exception | Error e) {
            failure = e;
            LOG.error("delivery of channel {} ended at block {}: the listener or the block store failed",
                    chain.channelId(), nextBlock, e);
        } finally {
            closed = true;
            chain.removed(this);
        }
    }

    /** {@code first} (block {@code number}) and the blocks after it that are already stored, up to the batch limit. */
    private List<Block> withStoredSuccessors(Block first, long number) {
        List<Block> blocks = new ArrayList<>(MAX_BATCH);
        blocks.add(first);
        while (blocks.size() < MAX_BATCH && !closed) {
            Optional<Block> next = chain.storedBlock(number + blocks.size());
            if (next.isEmpty()) {
                break;
            }
            blocks.add(next.get());
        }
        return blocks;
    }

    @Override
    public String channelId() {
        return chain.channelId();
    }

    @Override
    public long nextBlockNumber() {
        return nextBlock;
    }

    @Override
    public boolean isActive() {
        return !closed && thread.isAlive();
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        closed = true;
        chain.wakeSubscribers();
        if (Thread.currentThread() == thread) {
            return; // called from the listener: the loop ends when it returns
        }
        try {
            // never interrupt: the listener may be writing files, and an interrupt closes NIO channels
            thread.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("delivery thread {} did not end within {}: its listener is still running", thread.getName(),
                    closeTimeout);
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + chain.channelId() + ", next=" + nextBlock + (closed ? ", closed" : "") + "]";
    }
}
