package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.fabricembedded.ledger.txmgr.QueryResultsIterator;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * One open query iterator of a transaction (Fabric's {@code PendingQueryResult} plus its total return count): the
 * ledger iterator, the results already pulled from it but not yet sent, and how many it has returned in all.
 *
 * <p>Guarded by the lock of its {@link TransactionContext}.
 */
final class PendingQuery {

    private final ResultsIterator<? extends Message> iterator;
    private final List<ByteString> pending = new ArrayList<>();
    private int returned;

    PendingQuery(final ResultsIterator<? extends Message> iterator) {
        this.iterator = iterator;
    }

    /** The next result from the ledger, marshaled, or null when there are no more. */
    ByteString next() {
        final Message result = iterator.next();
        return result == null ? null : result.toByteString();
    }

    void add(final ByteString result) {
        pending.add(result);
        returned++;
    }

    int pendingCount() {
        return pending.size();
    }

    int returned() {
        return returned;
    }

    /** The results pulled so far, which are then no longer pending. */
    List<ByteString> cut() {
        final List<ByteString> batch = List.copyOf(pending);
        pending.clear();
        return batch;
    }

    /** Closes the iterator and returns the bookmark of the next page (paginated range queries only). */
    String bookmarkAndClose() {
        if (iterator instanceof QueryResultsIterator<?> paged) {
            return paged.bookmarkAndClose();
        }
        iterator.close();
        return "";
    }

    void close() {
        iterator.close();
    }
}
