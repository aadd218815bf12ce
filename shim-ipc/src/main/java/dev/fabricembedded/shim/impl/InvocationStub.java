package dev.fabricembedded.shim.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.ledger.CompositeKey;
import dev.fabricembedded.shim.ledger.KeyModification;
import dev.fabricembedded.shim.ledger.KeyValue;
import dev.fabricembedded.shim.ledger.QueryResultsIterator;
import dev.fabricembedded.shim.ledger.QueryResultsIteratorWithMetadata;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetQueryResult;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.MetaDataKeys;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;

/**
 * The {@link ChaincodeStub} of one INIT or TRANSACTION: the arguments and proposal parsed from the peer's message,
 * and ledger calls turned into requests of its {@link TransactionContext}.
 *
 * <p>Construction parses everything the stub exposes, so a malformed message fails the invocation before the
 * chaincode runs (Fabric's shims answer it with {@code ERROR} the same way).
 *
 * <p>Threads: used by the chaincode thread running the invocation; the event is the only mutable field and is
 * read by that same thread when the result is sent.
 */
final class InvocationStub implements ChaincodeStub {

    /** Fabric's replacement for an empty range start: the smallest key that is not a composite key. */
    static final String UNSPECIFIED_START_KEY = "\u0001";
    /** An empty range end means "unbounded" to the peer. */
    static final String UNSPECIFIED_END_KEY = "";

    private final TransactionContext context;
    private final TxKey tx;
    private final List<ByteString> args;
    private final SignedProposal signedProposal;
    private final Instant txTimestamp;
    private final ByteString creator;
    private final ByteString nonce;
    private final long epoch;
    private final Map<String, ByteString> transientMap;
    private ChaincodeEvent event;

    /**
     * @throws InvalidProtocolBufferException if the input or the signed proposal cannot be parsed
     */
    InvocationStub(final ChaincodeMessage message, final TransactionContext context)
            throws InvalidProtocolBufferException {
        this.context = context;
        this.tx = context.key();
        this.args = ChaincodeInput.parseFrom(message.getPayload()).getArgsList();
        if (!message.hasProposal() || message.getProposal().getProposalBytes().isEmpty()) {
            this.signedProposal = message.hasProposal() ? message.getProposal() : null;
            this.txTimestamp = null;
            this.creator = null;
            this.nonce = null;
            this.epoch = 0;
            this.transientMap = Map.of();
        } else {
            this.signedProposal = message.getProposal();
            final Proposal proposal = Proposal.parseFrom(signedProposal.getProposalBytes());
            final Header header = Header.parseFrom(proposal.getHeader());
            final ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
            final SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
            this.txTimestamp = channelHeader.hasTimestamp()
                    ? Instant.ofEpochSecond(channelHeader.getTimestamp().getSeconds(),
                            channelHeader.getTimestamp().getNanos())
                    : null;
            this.creator = signatureHeader.getCreator();
            this.nonce = signatureHeader.getNonce();
            this.epoch = channelHeader.getEpoch();
            this.transientMap = ChaincodeProposalPayload.parseFrom(proposal.getPayload()).getTransientMapMap();
        }
    }

    // ---- arguments and identity ----

    @Override
    public List<byte[]> getArgs() {
        return args.stream().map(ByteString::toByteArray).toList();
    }

    @Override
    public List<String> getStringArgs() {
        return args.stream().map(ByteString::toStringUtf8).toList();
    }

    @Override
    public String getFunction() {
        return args.isEmpty() ? null : args.get(0).toStringUtf8();
    }

    @Override
    public List<String> getParameters() {
        return args.stream().skip(1).map(ByteString::toStringUtf8).toList();
    }

    @Override
    public String getTxId() {
        return tx.txId();
    }

    @Override
    public String getChannelId() {
        return tx.channelId();
    }

    @Override
    public SignedProposal getSignedProposal() {
        return signedProposal;
    }

    @Override
    public Instant getTxTimestamp() {
        return txTimestamp;
    }

    @Override
    public byte[] getCreator() {
        return creator == null ? null : creator.toByteArray();
    }

    @Override
    public String getMspId() {
        if (creator == null) {
            throw new IllegalStateException(tx + " the transaction carries no signed proposal, so it has no creator"
                    + " MSP id");
        }
        try {
            return SerializedIdentity.parseFrom(creator).getMspid();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(tx + " the proposal's creator is not a SerializedIdentity", e);
        }
    }

    @Override
    public Map<String, byte[]> getTransient() {
        final Map<String, byte[]> copy = new HashMap<>(transientMap.size() * 2);
        transientMap.forEach((k, v) -> copy.put(k, v.toByteArray()));
        return copy;
    }

    @Override
    public byte[] getBinding() {
        if (creator == null) {
            return null;
        }
        try {
            final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(nonce.asReadOnlyByteBuffer());
            sha256.update(creator.asReadOnlyByteBuffer());
            sha256.update(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, epoch));
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    // ---- world state ----

    @Override
    public byte[] getState(final String key) {
        return context.request(ChaincodeMessage.Type.GET_STATE,
                GetState.newBuilder().setKey(key).build().toByteString()).toByteArray();
    }

    @Override
    public void putState(final String key, final byte[] value) {
        validateKey(key);
        Objects.requireNonNull(value, "value cannot be null");
        context.request(ChaincodeMessage.Type.PUT_STATE,
                PutState.newBuilder().setKey(key).setValue(ByteString.copyFrom(value)).build().toByteString());
    }

    @Override
    public void delState(final String key) {
        context.request(ChaincodeMessage.Type.DEL_STATE, DelState.newBuilder().setKey(key).build().toByteString());
    }

    @Override
    public byte[] getStateValidationParameter(final String key) {
        final ByteString payload = context.request(ChaincodeMessage.Type.GET_STATE_METADATA,
                GetStateMetadata.newBuilder().setKey(key).build().toByteString());
        final StateMetadataResult result;
        try {
            result = StateMetadataResult.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(tx + " the peer answered GET_STATE_METADATA with a payload that is not a"
                    + " StateMetadataResult", e);
        }
        for (final StateMetadata entry : result.getEntriesList()) {
            if (entry.getMetakey().equals(MetaDataKeys.VALIDATION_PARAMETER.name())) {
                return entry.getValue().toByteArray();
            }
        }
        return null;
    }

    @Override
    public void setStateValidationParameter(final String key, final byte[] value) {
        validateKey(key);
        Objects.requireNonNull(value, "value cannot be null");
        context.request(ChaincodeMessage.Type.PUT_STATE_METADATA, PutStateMetadata.newBuilder()
                .setKey(key)
                .setMetadata(StateMetadata.newBuilder()
                        .setMetakey(MetaDataKeys.VALIDATION_PARAMETER.name())
                        .setValue(ByteString.copyFrom(value)))
                .build()
                .toByteString());
    }

    // ---- queries ----

    @Override
    public QueryResultsIterator<KeyValue> getStateByRange(final String startKey, final String endKey) {
        return rangeQuery(startKey, endKey, null);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByRangeWithPagination(final String startKey,
            final String endKey, final int pageSize, final String bookmark) {
        return rangeQuery(startKey, endKey, pageMetadata(pageSize, bookmark));
    }

    private PeerQueryResults<KeyValue> rangeQuery(final String startKey, final String endKey,
            final QueryMetadata page) {
        final String start = startKey == null || startKey.isEmpty() ? UNSPECIFIED_START_KEY : startKey;
        final String end = endKey == null ? UNSPECIFIED_END_KEY : endKey;
        CompositeKey.validateSimpleKeys(start, end);
        return keyValueQuery(start, end, page);
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(final String compositeKey) {
        if (compositeKey == null) {
            return getStateByPartialCompositeKey((CompositeKey) null);
        }
        return getStateByPartialCompositeKey(compositeKey.startsWith(CompositeKey.NAMESPACE)
                ? CompositeKey.parseCompositeKey(compositeKey)
                : new CompositeKey(compositeKey));
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(final String objectType,
            final String... attributes) {
        return getStateByPartialCompositeKey(new CompositeKey(objectType, attributes));
    }

    @Override
    public QueryResultsIterator<KeyValue> getStateByPartialCompositeKey(final CompositeKey compositeKey) {
        final String prefix = compositeKey == null ? CompositeKey.NAMESPACE : compositeKey.toString();
        return keyValueQuery(prefix, prefix + CompositeKey.MAX_UNICODE_RUNE, null);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getStateByPartialCompositeKeyWithPagination(
            final CompositeKey compositeKey, final int pageSize, final String bookmark) {
        final String prefix = compositeKey == null ? CompositeKey.NAMESPACE : compositeKey.toString();
        return keyValueQuery(prefix, prefix + CompositeKey.MAX_UNICODE_RUNE, pageMetadata(pageSize, bookmark));
    }

    private PeerQueryResults<KeyValue> keyValueQuery(final String start, final String end, final QueryMetadata page) {
        final GetStateByRange.Builder request = GetStateByRange.newBuilder().setStartKey(start).setEndKey(end);
        if (page != null) {
            request.setMetadata(page.toByteString());
        }
        final ByteString response = context.request(ChaincodeMessage.Type.GET_STATE_BY_RANGE,
                request.build().toByteString());
        return new PeerQueryResults<>(context, ChaincodeMessage.Type.GET_STATE_BY_RANGE, response,
                bytes -> new LedgerKeyValue(KV.parseFrom(bytes)));
    }

    @Override
    public CompositeKey createCompositeKey(final String objectType, final String... attributes) {
        return new CompositeKey(objectType, attributes);
    }

    @Override
    public CompositeKey splitCompositeKey(final String compositeKey) {
        return CompositeKey.parseCompositeKey(compositeKey);
    }

    @Override
    public QueryResultsIterator<KeyValue> getQueryResult(final String query) {
        return richQuery(query, null);
    }

    @Override
    public QueryResultsIteratorWithMetadata<KeyValue> getQueryResultWithPagination(final String query,
            final int pageSize, final String bookmark) {
        return richQuery(query, pageMetadata(pageSize, bookmark));
    }

    private PeerQueryResults<KeyValue> richQuery(final String query, final QueryMetadata page) {
        final GetQueryResult.Builder request = GetQueryResult.newBuilder().setQuery(query);
        if (page != null) {
            request.setMetadata(page.toByteString());
        }
        final ByteString response = context.request(ChaincodeMessage.Type.GET_QUERY_RESULT,
                request.build().toByteString());
        return new PeerQueryResults<>(context, ChaincodeMessage.Type.GET_QUERY_RESULT, response,
                bytes -> new LedgerKeyValue(KV.parseFrom(bytes)));
    }

    @Override
    public QueryResultsIterator<KeyModification> getHistoryForKey(final String key) {
        final ByteString response = context.request(ChaincodeMessage.Type.GET_HISTORY_FOR_KEY,
                GetHistoryForKey.newBuilder().setKey(key).build().toByteString());
        return new PeerQueryResults<>(context, ChaincodeMessage.Type.GET_HISTORY_FOR_KEY, response,
                bytes -> new LedgerKeyModification(
                        org.hyperledger.fabric.protos.ledger.queryresult.KeyModification.parseFrom(bytes)));
    }

    private static QueryMetadata pageMetadata(final int pageSize, final String bookmark) {
        return QueryMetadata.newBuilder()
                .setPageSize(pageSize)
                .setBookmark(bookmark == null ? "" : bookmark)
                .build();
    }

    // ---- chaincode to chaincode ----

    @Override
    public Response invokeChaincode(final String chaincodeName, final List<byte[]> args, final String channel) {
        Objects.requireNonNull(chaincodeName, "chaincodeName cannot be null");
        final String target = channel == null || channel.isBlank() ? chaincodeName : chaincodeName + "/" + channel;
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (final byte[] arg : args) {
            input.addArgs(ByteString.copyFrom(arg));
        }
        final ByteString payload = context.request(ChaincodeMessage.Type.INVOKE_CHAINCODE, ChaincodeSpec.newBuilder()
                .setChaincodeId(ChaincodeID.newBuilder().setName(target))
                .setInput(input)
                .build()
                .toByteString());
        try {
            final ChaincodeMessage calleeResult = ChaincodeMessage.parseFrom(payload);
            if (calleeResult.getType() == ChaincodeMessage.Type.COMPLETED) {
                final org.hyperledger.fabric.protos.peer.Response response =
                        org.hyperledger.fabric.protos.peer.Response.parseFrom(calleeResult.getPayload());
                return Response.of(response.getStatus(), response.getMessage(), response.getPayload().toByteArray());
            }
            return Response.of(Response.INTERNAL_SERVER_ERROR, calleeResult.getPayload().toStringUtf8(), null);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(tx + " the peer answered INVOKE_CHAINCODE with a payload that is not the"
                    + " callee's ChaincodeMessage and Response", e);
        }
    }

    // ---- events ----

    @Override
    public void setEvent(final String name, final byte[] payload) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("event name can not be nil string");
        }
        final ChaincodeEvent.Builder builder = ChaincodeEvent.newBuilder().setEventName(name);
        if (payload != null) {
            builder.setPayload(ByteString.copyFrom(payload));
        }
        this.event = builder.build();
    }

    @Override
    public ChaincodeEvent getEvent() {
        return event;
    }

    private static void validateKey(final String key) {
        Objects.requireNonNull(key, "key cannot be null");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("key must not be an empty string");
        }
    }
}
