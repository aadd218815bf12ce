package dev.fabricembedded.ledger.txmgr;

import java.util.function.Consumer;

/**
 * An iterator over query results with Fabric's {@code Next()} contract: {@link #next()} returns null once the
 * results are exhausted.
 *
 * <p>Why not {@link java.util.Iterator}: a simulator records what a range scan returned, and Fabric's phantom
 * check depends on exactly which results the caller pulled and whether it pulled past the end (that is when
 * {@code itr_exhausted} is recorded). A single {@code next()} keeps that unambiguous; a {@code hasNext()} would
 * have to peek. Not thread-safe; closed by {@link #close()} or by the owning simulator's {@code done()}.
 *
 * @param <T> the result type
 */
public interface ResultsIterator<T> extends AutoCloseable {

    /**
     * The next result, or null when there are no more.
     *
     * @throws IllegalStateException if the iterator (or its simulator) is closed
     */
    T next();

    /** Pulls every remaining result. */
    default void forEachRemaining(final Consumer<? super T> action) {
        for (T result = next(); result != null; result = next()) {
            action.accept(result);
        }
    }

    /** Releases the iterator; idempotent. */
    @Override
    void close();
}
