package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import java.util.List;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;

/**
 * Cuts the results of a query iterator into {@code QueryResponse} batches (Fabric's
 * {@code QueryResponseGenerator}).
 *
 * <p>Without pagination a batch holds at most {@code maxResultLimit} (100) results; {@code has_more} with the
 * iterator's id tells the chaincode to ask for the next one with QUERY_STATE_NEXT. As in Fabric, the result after a
 * full batch is pulled before the batch is sent (it opens the next batch), the last batch has {@code has_more}
 * false, and the iterator is closed once exhausted or once {@code totalReturnLimit} results were returned. A paginated
 * query returns one batch with {@code QueryResponseMetadata{fetched_records_count, bookmark}} and closes the
 * iterator. Called holding the transaction context's lock; stateless.
 */
final class QueryResponseGenerator {

    /** Fabric's {@code MaxResultLimit}: results per batch. */
    static final int MAX_RESULT_LIMIT = 100;

    private final int maxResultLimit;

    QueryResponseGenerator(final int maxResultLimit) {
        if (maxResultLimit < 1) {
            throw new IllegalArgumentException("max result limit must be positive, got " + maxResultLimit);
        }
        this.maxResultLimit = maxResultLimit;
    }

    /** The next batch of the query {@code id} of {@code context}. */
    QueryResponse build(final TransactionContext context, final String id, final boolean paginated,
            final int totalReturnLimit) {
        final PendingQuery query = context.query(id);
        try {
            while (true) {
                if (query.returned() >= totalReturnLimit) {
                    return last(context, id, query, paginated);
                }
                final ByteString result = query.next();
                if (result == null) {
                    return last(context, id, query, paginated);
                }
                if (!paginated && query.pendingCount() == maxResultLimit) {
                    final List<ByteString> batch = query.cut();
                    query.add(result);
                    return response(batch, true, id).build();
                }
                query.add(result);
            }
        } catch (RuntimeException e) {
            context.closeQuery(id);
            throw e;
        }
    }

    private static QueryResponse last(final TransactionContext context, final String id, final PendingQuery query,
            final boolean paginated) {
        final List<ByteString> batch = query.cut();
        if (paginated) {
            context.forgetQuery(id);
            final String bookmark = query.bookmarkAndClose();
            return response(batch, false, id)
                    .setMetadata(QueryResponseMetadata.newBuilder()
                            .setFetchedRecordsCount(query.returned())
                            .setBookmark(bookmark)
                            .build().toByteString())
                    .build();
        }
        context.closeQuery(id);
        return response(batch, false, id).build();
    }

    private static QueryResponse.Builder response(final List<ByteString> batch, final boolean hasMore,
            final String id) {
        final QueryResponse.Builder response = QueryResponse.newBuilder().setHasMore(hasMore).setId(id);
        for (final ByteString result : batch) {
            response.addResults(QueryResultBytes.newBuilder().setResultBytes(result));
        }
        return response;
    }
}
