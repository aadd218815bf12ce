package dev.fabricembedded.endorser.chaincode;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executions in progress on one chaincode connection, by channel and transaction id (Fabric's
 * {@code TransactionContexts}): at most one per (channel, txid), so that the chaincode's requests and answers find
 * their execution. Thread-safe (a concurrent map: executing threads add and remove, the event-loop thread and workers
 * look up).
 */
final class TransactionContexts {

    private final Map<String, TransactionContext> contexts = new ConcurrentHashMap<>();

    /**
     * Creates the context of an execution.
     *
     * @throws ChaincodeException {@code txid: <txid>(<channel>) exists} if that transaction is already executing here
     */
    TransactionContext create(final ChaincodeContext context) throws ChaincodeException {
        final TransactionContext created = new TransactionContext(context);
        if (contexts.putIfAbsent(key(context.channelId(), context.txId()), created) != null) {
            throw new ChaincodeException("txid: " + context.txId() + "(" + context.channelId() + ") exists");
        }
        return created;
    }

    /** The context of (channel, txid), or null. */
    TransactionContext get(final String channelId, final String txId) {
        return contexts.get(key(channelId, txId));
    }

    /** How many executions are in progress. */
    int size() {
        return contexts.size();
    }

    /** Removes and closes a context once its execution is over. */
    void delete(final TransactionContext context) {
        contexts.remove(key(context.channelId(), context.txId()), context);
        context.close();
    }

    /** Fails every execution in progress: the stream ended. */
    void terminateAll(final String reason) {
        for (final TransactionContext context : List.copyOf(contexts.values())) {
            context.terminate(reason);
        }
    }

    private static String key(final String channelId, final String txId) {
        return channelId + '\u0000' + txId;
    }
}
