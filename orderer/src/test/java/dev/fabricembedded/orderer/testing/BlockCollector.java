package dev.fabricembedded.orderer.testing;

import dev.fabricembedded.orderer.BlockListener;
import org.hyperledger.fabric.protos.common.Block;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that keeps the delivered blocks and lets a test wait for them (bounded waits, no sleeps). */
public final class BlockCollector implements BlockListener {

    private final LinkedBlockingQueue<Block> received = new LinkedBlockingQueue<>();
    private final List<Block> taken = new ArrayList<>();

    @Override
    public void onBlock(Block block) {
        received.add(block);
    }

    /** Waits until {@code count} blocks have been delivered in total and returns all of them, in delivery order. */
    public synchronized List<Block> awaitBlocks(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            long left = deadline - System.nanoTime();
            Block block = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (block == null) {
                throw new AssertionError("expected " + count + " blocks within " + timeout + ", got " + taken.size());
            }
            taken.add(block);
        }
        return List.copyOf(taken);
    }

    /** Blocks delivered so far (after the last wait). */
    public synchronized List<Block> drain() {
        received.drainTo(taken);
        return List.copyOf(taken);
    }
}
