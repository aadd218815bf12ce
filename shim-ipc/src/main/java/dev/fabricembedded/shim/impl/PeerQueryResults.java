package dev.fabricembedded.shim.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.shim.ledger.QueryResultsIteratorWithMetadata;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;

/**
 * The results of one peer query iterator, paged lazily: the first {@code QueryResponse} comes with the query's
 * answer; while it says {@code has_more}, the next batch is requested with {@code QUERY_STATE_NEXT} only when the
 * current one is used up. {@link #close} sends {@code QUERY_STATE_CLOSE}, as Fabric's shims do.
 *
 * <p>Threads: confined to the chaincode thread of its transaction (requests go through its
 * {@link TransactionContext}). Every {@link #iterator()} shares the one cursor.
 *
 * @param <T> the mapped result type
 */
final class PeerQueryResults<T> implements QueryResultsIteratorWithMetadata<T> {

    /** Parses one result; a malformed result is the peer's protocol error. */
    @FunctionalInterface
    interface ResultParser<T> {
        T parse(ByteString bytes) throws InvalidProtocolBufferException;
    }

    private final TransactionContext context;
    private final ResultParser<T> parser;
    private final String id;
    private final QueryResponseMetadata metadata;
    private QueryResponse batch;
    private int index;
    private boolean closed;

    /**
     * @param queryType     the request that opened the iterator (for error texts)
     * @param firstResponse the payload of the peer's answer to it, a {@code QueryResponse}
     */
    PeerQueryResults(final TransactionContext context, final ChaincodeMessage.Type queryType,
            final ByteString firstResponse, final ResultParser<T> parser) {
        this.context = context;
        this.parser = parser;
        this.batch = parseResponse(queryType, firstResponse);
        this.id = batch.getId();
        this.metadata = parseMetadata(batch.getMetadata());
    }

    @Override
    public QueryResponseMetadata getMetadata() {
        return metadata;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return advance();
            }

            @Override
            public T next() {
                if (!advance()) {
                    throw new NoSuchElementException("no more query results");
                }
                final QueryResultBytes result = batch.getResults(index++);
                try {
                    return parser.parse(result.getResultBytes());
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalStateException(context.key() + " the peer sent a malformed query result", e);
                }
            }
        };
    }

    /** Makes a result available at {@code index} if there is one, fetching batches as needed. */
    private boolean advance() {
        while (index >= batch.getResultsCount()) {
            if (closed || !batch.getHasMore()) {
                return false;
            }
            final ByteString next = context.request(ChaincodeMessage.Type.QUERY_STATE_NEXT,
                    QueryStateNext.newBuilder().setId(id).build().toByteString());
            batch = parseResponse(ChaincodeMessage.Type.QUERY_STATE_NEXT, next);
            index = 0;
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.request(ChaincodeMessage.Type.QUERY_STATE_CLOSE,
                QueryStateClose.newBuilder().setId(id).build().toByteString());
    }

    private QueryResponse parseResponse(final ChaincodeMessage.Type type, final ByteString bytes) {
        try {
            return QueryResponse.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(context.key() + " the peer answered " + type + " with a payload that is"
                    + " not a QueryResponse", e);
        }
    }

    private QueryResponseMetadata parseMetadata(final ByteString bytes) {
        try {
            return QueryResponseMetadata.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(context.key() + " the peer sent query metadata that is not a"
                    + " QueryResponseMetadata", e);
        }
    }
}
