package dev.fabricembedded.ledger.txmgr;

/**
 * A {@link ResultsIterator} over a page of a paginated range query (Fabric's {@code QueryResultsIterator}).
 *
 * @param <T> the result type
 */
public interface QueryResultsIterator<T> extends ResultsIterator<T> {

    /**
     * Closes the iterator and returns the bookmark for the next page: the first key after the results returned,
     * or "" when the range has no more keys (LevelDB's behaviour in Fabric 1.4).
     */
    String bookmarkAndClose();
}
