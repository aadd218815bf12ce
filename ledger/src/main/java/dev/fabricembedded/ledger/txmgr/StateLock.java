package dev.fabricembedded.ledger.txmgr;

import dev.fabricembedded.ledger.LedgerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;

/**
 * The ledger's shared/exclusive state lock (Fabric's {@code commitRWLock}): simulators and query executors hold
 * it shared for their whole life, a commit holds it exclusively, so a simulation never sees a half-committed
 * block and its recorded versions stay true until it is done.
 *
 * <p>A {@link StampedLock} rather than a {@code ReentrantReadWriteLock} because a simulator is created on one
 * thread and often released ({@code done()}) on another (the chaincode handler's), which a stamp allows. Readers
 * queue behind a waiting commit, so commits are not starved. A commit that waits long logs which holders it is
 * waiting for: a simulator that is never {@code done()} blocks commits, as in Fabric.
 */
public final class StateLock {
    private static final Logger LOG = LoggerFactory.getLogger(StateLock.class);
    private static final long WARN_AFTER_SECONDS = 10;

    private final String name;
    private final StampedLock lock = new StampedLock();
    private final ConcurrentHashMap<Hold, String> holders = new ConcurrentHashMap<>();

    /** A shared hold, released once by {@link #release()} from any thread. */
    public final class Hold {
        private final long stamp;
        private final AtomicBoolean released = new AtomicBoolean();

        private Hold(final long stamp) {
            this.stamp = stamp;
        }

        /** Releases the shared hold; later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                holders.remove(this);
                lock.unlockRead(stamp);
            }
        }

        public boolean isReleased() {
            return released.get();
        }
    }

    public StateLock(final String name) {
        this.name = name;
    }

    /** Takes the lock shared (waiting while a commit holds or waits for it). */
    public Hold acquireShared(final String holder) {
        final Hold hold = new Hold(lock.readLock());
        holders.put(hold, holder);
        return hold;
    }

    /**
     * Takes the lock exclusively, waiting for every shared holder; logs the holders every
     * {@value #WARN_AFTER_SECONDS} seconds while it waits.
     *
     * @return the stamp to pass to {@link #releaseExclusive}
     */
    public long acquireExclusive(final String purpose) {
        long waited = 0;
        try {
            while (true) {
                final long stamp = lock.tryWriteLock(WARN_AFTER_SECONDS, TimeUnit.SECONDS);
                if (stamp != 0) {
                    return stamp;
                }
                waited += WARN_AFTER_SECONDS;
                LOG.warn("{}: {} has waited {} s for the state lock; still held by {}", name, purpose, waited,
                        sharedHolders());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException(name + ": interrupted while waiting for the state lock (" + purpose + ")", e);
        }
    }

    /** Takes the lock exclusively if it can within {@code millis}; returns 0 otherwise. */
    public long tryAcquireExclusive(final long millis) {
        try {
            return lock.tryWriteLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    public void releaseExclusive(final long stamp) {
        lock.unlockWrite(stamp);
    }

    /** Descriptions of the current shared holders (e.g. "simulator for txid abc"). */
    public List<String> sharedHolders() {
        return new ArrayList<>(holders.values());
    }
}
