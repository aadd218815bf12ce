package dev.fabricembedded.scc.vscc;

import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;

/**
 * Read access to a channel's committed state during validation (Fabric's {@code StateFetcher}). Implementations must
 * be thread-safe: the committer validates transactions in parallel.
 */
@FunctionalInterface
public interface StateReader {

    /**
     * The committed value of a key, or {@code null} when absent.
     *
     * @throws ValidationExecutionException when the state cannot be read
     */
    byte[] getState(String namespace, String key);

    /**
     * A reader over a ledger that opens a {@link QueryExecutor} per read and releases it at once, as Fabric's VSCC
     * does; ledger failures become {@link ValidationExecutionException}.
     */
    static StateReader of(ChannelLedger ledger) {
        return (namespace, key) -> {
            try (QueryExecutor qe = ledger.newQueryExecutor()) {
                return qe.getState(namespace, key);
            } catch (RuntimeException e) {
                throw new ValidationExecutionException("could not retrieve state for " + namespace + "/" + key
                        + " on channel " + ledger.channelId() + ", error " + e.getMessage(), e);
            }
        };
    }
}
