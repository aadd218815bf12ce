package dev.fabricembedded.shim;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.fabricembedded.shim.ledger.CompositeKey;
import dev.fabricembedded.shim.ledger.KeyModification;
import dev.fabricembedded.shim.ledger.KeyValue;
import dev.fabricembedded.shim.ledger.QueryResultsIterator;
import dev.fabricembedded.shim.ledger.QueryResultsIteratorWithMetadata;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * One transaction's view of the peer: its arguments and proposal, and the ledger calls a chaincode makes during it.
 *
 * <p>The method names and semantics are those of Fabric's Java shim ({@code org.hyperledger.fabric.shim.ChaincodeStub},
 * 1.4/2.x), so chaincode written for Fabric ports by changing imports. Every ledger call is a request/response
 * exchange with the peer ({@code GET_STATE}, {@code PUT_STATE}...): reads see the committed state, not this
 * transaction's own writes; writes go to the transaction's write set and reach the ledger only when the
 * transaction is ordered, validated and committed.
 *
 * <p>Threads: a stub belongs to one invocation. Calls may come from any thread but never two at once: the
 * protocol allows one outstanding request per transaction, and a second concurrent call fails with an
 * {@link IllegalStateException}. A stub must not be used after its invocation has returned.
 *
 * <p>Failures: a request the peer answers with {@code ERROR} throws {@link PeerRequestException} carrying the
 * peer's text; broken key rules throw {@link IllegalArgumentException} (a
 * {@link dev.fabricembedded.shim.ledger.CompositeKeyFormatException} for composite-key rules) before anything is
 * sent. Private data (collections) is not supported by Fabric Embedded: those methods throw
 * {@link UnsupportedOperationException} naming the method.
 */
public interface ChaincodeStub {

    // ---- arguments and identity of the transaction ----

    /** The invocation arguments ({@code ChaincodeInput.args}), each as bytes. */
    List<byte[]> getArgs();

    /** The invocation arguments decoded as UTF-8. */
    List<String> getStringArgs();

    /** The first argument as UTF-8 (the function name by convention), or {@code null} if there are no arguments. */
    String getFunction();

    /** All arguments but the first, as UTF-8. */
    List<String> getParameters();

    /** The transaction id (the proposal's {@code ChannelHeader.tx_id}). */
    String getTxId();

    /** The channel the transaction runs on; empty for calls that are not bound to a channel. */
    String getChannelId();

    /** The signed proposal being executed, or {@code null} for an internal call without a proposal. */
    SignedProposal getSignedProposal();

    /** The client's timestamp from the proposal's channel header, or {@code null} without a proposal. */
    Instant getTxTimestamp();

    /** The creator of the proposal (a serialized {@code msp.SerializedIdentity}), or {@code null} without a proposal. */
    byte[] getCreator();

    /**
     * The MSP id of the proposal's creator, parsed from {@link #getCreator()}.
     *
     * <p>Fabric's Java shim 2.x returns the peer's local MSP id ({@code CORE_PEER_LOCALMSPID}) instead; the
     * creator's MSP is what access checks in chaincode need, and an embedded peer has one MSP per host.
     *
     * @throws IllegalStateException if the transaction has no proposal or the creator is not a SerializedIdentity
     */
    String getMspId();

    /** The proposal's transient map (data that is not recorded on the ledger); empty without a proposal. */
    Map<String, byte[]> getTransient();

    /**
     * The proposal binding {@code SHA-256(nonce ‖ creator ‖ epoch as 8-byte little endian)}, which ties
     * application data to this proposal; {@code null} without a proposal.
     */
    byte[] getBinding();

    // ---- world state ----

    /**
     * The committed value of {@code key} in this chaincode's namespace; an empty array when the key does not exist.
     */
    byte[] getState(String key);

    /** {@link #getState} decoded as UTF-8 (empty string when absent). */
    default String getStringState(final String key) {
        return new String(getState(key), UTF_8);
    }

    /**
     * Writes {@code key} in the transaction's write set. Simple keys and composite keys
     * ({@link CompositeKey#toString()}) are both accepted.
     *
     * @throws IllegalArgumentException if the key is empty ({@code key must not be an empty string})
     */
    void putState(String key, byte[] value);

    /** {@link #putState} with the value encoded as UTF-8. */
    default void putStringState(final String key, final String value) {
        putState(key, value.getBytes(UTF_8));
    }

    /** Records the deletion of {@code key} in the transaction's write set. */
    void delState(String key);

    /**
     * The key-level endorsement policy of {@code key} ({@code GET_STATE_METADATA}), or {@code null} if it has none.
     * The peer accepts it only on channels with the V1_3 application capability.
     */
    byte[] getStateValidationParameter(String key);

    /** Sets the key-level endorsement policy of {@code key} ({@code PUT_STATE_METADATA}). */
    void setStateValidationParameter(String key, byte[] value);

    /**
     * Keys and values with {@code startKey <= key < endKey}, in key order, fetched from the peer in batches of 100
     * as the iterator is consumed.
     *
     * <p>An empty (or {@code null}) start key means "from the first simple key" (it becomes U+0001, which keeps
     * composite keys out); an empty (or {@code null}) end key means "to the last key". Fabric's Java shim 1.4 turned
     * an empty end key into U+0001 as well, which made such ranges empty; this shim follows the documented
     * behaviour (Go shim, Java shim 2.x).
     *
     * @throws dev.fabricembedded.shim.ledger.CompositeKeyFormatException if a bound starts with U+0000
     */
    QueryResultsIterator<KeyValue> getStateByRange(String startKey, String endKey);

    /**
     * One page of at most {@code pageSize} keys of the range, starting at {@code bookmark} if it is not empty
     * (use the bookmark of the previous page's {@link QueryResultsIteratorWithMetadata#getMetadata() metadata}).
     * Fabric allows paginated queries only in read-only transactions; the peer enforces it at validation.
     */
    QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(String startKey, String endKey,
            int pageSize, String bookmark);

    /**
     * Keys that start with a partial composite key given as a string: either a composite key string (starting
     * with U+0000) or a bare object type.
     */
    QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String compositeKey);

    /** Keys that start with the partial composite key {@code objectType, attributes...}. */
    QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(String objectType, String... attributes);

    /**
     * Keys that start with the partial composite key's string: the range {@code [key, key + U+10FFFF)}. Because
     * every segment ends with U+0000, {@code ("color", "red")} selects {@code red} and never {@code redish}; a full
     * composite key selects itself and the keys that extend it. A {@code null} key selects every composite key.
     */
    QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(CompositeKey compositeKey);

    /** One page of {@link #getStateByPartialCompositeKey(CompositeKey)}; see {@link #getStateByRangeWithPagination}. */
    QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(CompositeKey compositeKey,
            int pageSize, String bookmark);

    /**
     * Builds a composite key.
     *
     * @throws dev.fabricembedded.shim.ledger.CompositeKeyFormatException if a segment contains U+0000 or U+10FFFF
     */
    CompositeKey createCompositeKey(String objectType, String... attributes);

    /**
     * Splits a composite key string into object type and attributes.
     *
     * @throws dev.fabricembedded.shim.ledger.CompositeKeyFormatException if it is not a composite key
     */
    CompositeKey splitCompositeKey(String compositeKey);

    /**
     * A rich query in the state database's own syntax ({@code GET_QUERY_RESULT}). Only CouchDB-backed peers answer
     * it; Fabric Embedded's state database has no rich queries, so the peer answers with an error.
     */
    QueryResultsIterator<KeyValue> getQueryResult(String query);

    /** One page of {@link #getQueryResult}. */
    QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(String query, int pageSize,
            String bookmark);

    /**
     * Every committed change of {@code key} from the peer's history database, in the order the peer returns them
     * (Fabric 1.4: oldest first).
     */
    QueryResultsIterator<KeyModification> getHistoryForKey(String key);

    // ---- chaincode to chaincode ----

    /**
     * Calls another chaincode's {@code invoke} in this transaction ({@code INVOKE_CHAINCODE}). On the same channel
     * the callee's reads and writes join this transaction; on another channel it is effectively a read-only query.
     *
     * @param chaincodeName the callee's name (a {@code :version} suffix is ignored by the peer)
     * @param channel       the callee's channel; {@code null} or empty means this transaction's channel
     * @return the callee's response; when the callee failed ({@code ERROR}), status 500 with the error text as
     *         message
     */
    Response invokeChaincode(String chaincodeName, List<byte[]> args, String channel);

    /** {@link #invokeChaincode(String, List, String)} on this transaction's channel. */
    default Response invokeChaincode(final String chaincodeName, final List<byte[]> args) {
        return invokeChaincode(chaincodeName, args, null);
    }

    /** {@link #invokeChaincode(String, List, String)} with UTF-8 string arguments. */
    default Response invokeChaincodeWithStringArgs(final String chaincodeName, final List<String> args,
            final String channel) {
        return invokeChaincode(chaincodeName, args.stream().map(a -> a.getBytes(UTF_8)).toList(), channel);
    }

    /** {@link #invokeChaincode(String, List, String)} with UTF-8 string arguments on this channel. */
    default Response invokeChaincodeWithStringArgs(final String chaincodeName, final List<String> args) {
        return invokeChaincodeWithStringArgs(chaincodeName, args, null);
    }

    /** {@link #invokeChaincode(String, List, String)} with UTF-8 string arguments on this channel. */
    default Response invokeChaincodeWithStringArgs(final String chaincodeName, final String... args) {
        return invokeChaincodeWithStringArgs(chaincodeName, Arrays.asList(args), null);
    }

    // ---- events ----

    /**
     * Sets the chaincode event of this transaction (the last call wins). It is sent with the transaction's result,
     * also when the chaincode fails with a status of 500 or more, and delivered to listeners when the transaction
     * commits.
     *
     * @param name    the event name; must not be {@code null}, empty or blank ({@code event name can not be nil string})
     * @param payload optional payload
     */
    void setEvent(String name, byte[] payload);

    /** The event set by {@link #setEvent}, or {@code null}. */
    ChaincodeEvent getEvent();

    // ---- private data: not supported by Fabric Embedded ----

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default byte[] getPrivateData(final String collection, final String key) {
        throw privateDataUnsupported("getPrivateData");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default String getPrivateDataUTF8(final String collection, final String key) {
        throw privateDataUnsupported("getPrivateDataUTF8");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default byte[] getPrivateDataHash(final String collection, final String key) {
        throw privateDataUnsupported("getPrivateDataHash");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default byte[] getPrivateDataValidationParameter(final String collection, final String key) {
        throw privateDataUnsupported("getPrivateDataValidationParameter");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default void putPrivateData(final String collection, final String key, final byte[] value) {
        throw privateDataUnsupported("putPrivateData");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default void putPrivateData(final String collection, final String key, final String value) {
        throw privateDataUnsupported("putPrivateData");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default void setPrivateDataValidationParameter(final String collection, final String key, final byte[] value) {
        throw privateDataUnsupported("setPrivateDataValidationParameter");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default void delPrivateData(final String collection, final String key) {
        throw privateDataUnsupported("delPrivateData");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default void purgePrivateData(final String collection, final String key) {
        throw privateDataUnsupported("purgePrivateData");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default QueryResultsIterator<KeyValue> getPrivateDataByRange(final String collection, final String startKey,
            final String endKey) {
        throw privateDataUnsupported("getPrivateDataByRange");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(final String collection,
            final String compositeKey) {
        throw privateDataUnsupported("getPrivateDataByPartialCompositeKey");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(final String collection,
            final CompositeKey compositeKey) {
        throw privateDataUnsupported("getPrivateDataByPartialCompositeKey");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default QueryResultsIterator<KeyValue> getPrivateDataByPartialCompositeKey(final String collection,
            final String objectType, final String... attributes) {
        throw privateDataUnsupported("getPrivateDataByPartialCompositeKey");
    }

    /** Not supported: throws {@link UnsupportedOperationException}. */
    default QueryResultsIterator<KeyValue> getPrivateDataQueryResult(final String collection, final String query) {
        throw privateDataUnsupported("getPrivateDataQueryResult");
    }

    private static UnsupportedOperationException privateDataUnsupported(final String method) {
        return new UnsupportedOperationException(
                method + " is not supported: Fabric Embedded has no private data collections");
    }
}
