package dev.fabricembedded.shim.ledger;

/**
 * The results of a ledger query, fetched from the peer lazily in batches while they are iterated (the peer sends
 * 100 results per batch; the shim asks for the next batch with {@code QUERY_STATE_NEXT} only when the previous one
 * is used up).
 *
 * <p>Close it when done (try-with-resources): closing tells the peer to release its iterator
 * ({@code QUERY_STATE_CLOSE}). The peer also releases every iterator when the transaction completes.
 *
 * <p>Threads: use it on the thread that runs the chaincode invocation it came from, like the stub itself; it may
 * be iterated once.
 *
 * @param <T> {@link KeyValue} or {@link KeyModification}
 */
public interface QueryResultsIterator<T> extends Iterable<T>, AutoCloseable {

    /**
     * Releases the peer's iterator. Idempotent.
     *
     * @throws RuntimeException if the peer answers the close request with an error or the channel is gone
     */
    @Override
    void close();
}
