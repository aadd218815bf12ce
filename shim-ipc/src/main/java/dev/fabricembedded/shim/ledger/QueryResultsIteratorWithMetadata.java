package dev.fabricembedded.shim.ledger;

import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;

/**
 * The single page returned by a paginated query, with Fabric's {@code QueryResponseMetadata}: the number of
 * records fetched and the bookmark to pass to the next call to continue after this page.
 *
 * @param <T> {@link KeyValue}
 */
public interface QueryResultsIteratorWithMetadata<T> extends QueryResultsIterator<T> {

    /** The page metadata sent by the peer (fetched record count and bookmark). */
    QueryResponseMetadata getMetadata();
}
