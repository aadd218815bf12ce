package dev.fabricembedded.shim.scripted;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * A scripted peer side of Fabric's chaincode protocol for tests and benchmarks: it speaks the real peer protocol
 * (§3.3–§3.5 of the Fabric 1.4 reference) and answers the shim's requests from an in-memory world state.
 *
 * <ul>
 * <li>REGISTER is answered with REGISTERED then READY (unless {@link #manual()}).</li>
 * <li>{@link #execute} sends INIT or TRANSACTION and completes with the shim's COMPLETED or ERROR; the write set of
 * a COMPLETED execution with a status below 400 is committed to the state and its history.</li>
 * <li>GET_STATE reads the committed state (not the execution's own writes, as in Fabric); PUT_STATE and DEL_STATE
 * go to the execution's write set; GET_STATE_BY_RANGE batches results 100 at a time behind an iterator id served
 * by QUERY_STATE_NEXT and released by QUERY_STATE_CLOSE, or returns one page with metadata when paginated;
 * GET_HISTORY_FOR_KEY returns the committed modifications oldest first; INVOKE_CHAINCODE is answered by a
 * registered callee function.</li>
 * <li>A request without an execution gets {@code ERROR "<TYPE> failed: transaction ID: <txid>: no ledger context"},
 * an unknown iterator {@code query iterator not found}; unsupported requests get an ERROR naming them.</li>
 * </ul>
 * Every message received is also recorded in {@link #received()} for assertions. Its state is touched by its
 * channel's event-loop thread and by test threads, so it uses concurrent collections.
 */
public final class ScriptedPeer implements FrameHandler {

    /** Fabric's {@code MaxResultLimit}: results per QueryResponse batch. */
    public static final int BATCH_SIZE = 100;

    /** Keys ordered as the peer orders them: by UTF-8 bytes, which is code point order. */
    public static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            final int ca = a.codePointAt(i);
            final int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final boolean autoRegister;
    private final NavigableMap<String, byte[]> state = new ConcurrentSkipListMap<>(KEY_ORDER);
    private final Map<String, List<KeyModification>> history = new ConcurrentHashMap<>();
    private final Map<String, Function<ChaincodeInput, ChaincodeMessage>> callees = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Map<String, Iterator<KV>> iterators = new ConcurrentHashMap<>();
    private final BlockingQueue<ChaincodeMessage> received = new LinkedBlockingQueue<>();
    private final List<ChaincodeMessage> receivedLog = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<String> registered = new CompletableFuture<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final AtomicLong requestsServed = new AtomicLong();
    private final java.util.Set<String> heldKeys = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<ChaincodeMessage> heldRequests = new LinkedBlockingQueue<>();
    private volatile FrameChannel channel;

    private ScriptedPeer(final boolean autoRegister) {
        this.autoRegister = autoRegister;
    }

    /** A peer that answers REGISTER with REGISTERED and READY and serves requests. */
    public static ScriptedPeer standard() {
        return new ScriptedPeer(true);
    }

    /** A peer that does not answer REGISTER: the test drives the handshake with {@link #send}. */
    public static ScriptedPeer manual() {
        return new ScriptedPeer(false);
    }

    /** Binds the channel end this peer sends on (the end whose handler it is). */
    public ScriptedPeer bind(final FrameChannel end) {
        this.channel = end;
        return this;
    }

    // ---- world state and callees, for test setup ----

    /** The committed world state of the chaincode's namespace (mutable, ordered like the peer's). */
    public NavigableMap<String, byte[]> state() {
        return state;
    }

    /** Sets a committed value. */
    public ScriptedPeer put(final String key, final String value) {
        state.put(key, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The committed value as UTF-8, or {@code null}. */
    public String get(final String key) {
        final byte[] value = state.get(key);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /**
     * Registers the answer to INVOKE_CHAINCODE for a callee name (as sent: {@code name} or {@code name/channel}):
     * a function from the callee's input to its result message (COMPLETED or ERROR).
     */
    public ScriptedPeer callee(final String name, final Function<ChaincodeInput, ChaincodeMessage> result) {
        callees.put(name, result);
        return this;
    }

    // ---- driving the shim ----

    /** Completes with the chaincode id once REGISTER arrived (and, unless manual, REGISTERED and READY were sent). */
    public CompletableFuture<String> registered() {
        return registered;
    }

    /** Completes with the close reason once the channel closed. */
    public CompletableFuture<CloseReason> closed() {
        return closed;
    }

    /** Sends a raw message. */
    public void send(final ChaincodeMessage message) {
        Objects.requireNonNull(channel, "bind the channel end first").send(message.toByteArray());
    }

    /** Sends INIT or TRANSACTION with UTF-8 arguments and no proposal. */
    public CompletableFuture<ChaincodeMessage> execute(final ChaincodeMessage.Type type, final String channelId,
            final String txId, final String... args) {
        return execute(type, channelId, txId, null, args);
    }

    /**
     * Sends INIT or TRANSACTION as the peer does ({@code payload = ChaincodeInput}, {@code proposal}) and returns
     * the shim's COMPLETED or ERROR.
     */
    public CompletableFuture<ChaincodeMessage> execute(final ChaincodeMessage.Type type, final String channelId,
            final String txId, final SignedProposal proposal, final String... args) {
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        Arrays.stream(args).forEach(a -> input.addArgs(ByteString.copyFromUtf8(a)));
        final ChaincodeMessage.Builder message = ChaincodeMessage.newBuilder()
                .setType(type)
                .setChannelId(channelId)
                .setTxid(txId)
                .setPayload(input.build().toByteString());
        if (proposal != null) {
            message.setProposal(proposal);
        }
        final Execution execution = new Execution(txId);
        if (executions.putIfAbsent(key(channelId, txId), execution) != null) {
            throw new IllegalStateException("txid: " + txId + "(" + channelId + ") exists");
        }
        send(message.build());
        return execution.result;
    }

    /** Every message received so far, in order. */
    public List<ChaincodeMessage> receivedLog() {
        synchronized (receivedLog) {
            return List.copyOf(receivedLog);
        }
    }

    /** Received messages, consumed by {@link #next}. */
    public BlockingQueue<ChaincodeMessage> received() {
        return received;
    }

    /** The next received message, waiting up to {@code timeout}; fails if none arrives. */
    public ChaincodeMessage next(final Duration timeout) throws InterruptedException {
        final ChaincodeMessage message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message from the shim within " + timeout);
        }
        return message;
    }

    /** GET_STATE requests for {@code key} are held unanswered until {@link #releaseHeld()}. */
    public ScriptedPeer holdGetState(final String key) {
        heldKeys.add(key);
        return this;
    }

    /** Answers every held request now (from the calling thread) and stops holding. */
    public void releaseHeld() {
        heldKeys.clear();
        ChaincodeMessage request;
        while ((request = heldRequests.poll()) != null) {
            serve(request);
        }
    }

    /** Requests answered (RESPONSE or ERROR) so far. */
    public long requestsServed() {
        return requestsServed.get();
    }

    /** Query iterators the peer still holds (not exhausted, not closed). */
    public int openIterators() {
        return iterators.size();
    }

    // ---- the protocol ----

    @Override
    public void onFrame(final FrameChannel end, final byte[] frame) {
        if (channel == null) {
            channel = end;
        }
        final ChaincodeMessage message;
        try {
            message = ChaincodeMessage.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the shim sent a frame that is not a ChaincodeMessage", e);
        }
        receivedLog.add(message);
        received.add(message);
        switch (message.getType()) {
            case REGISTER -> onRegister(message);
            case COMPLETED, ERROR -> onResult(message);
            case KEEPALIVE -> { }
            case GET_STATE, PUT_STATE, DEL_STATE, GET_STATE_BY_RANGE, QUERY_STATE_NEXT, QUERY_STATE_CLOSE,
                    GET_QUERY_RESULT, GET_HISTORY_FOR_KEY, INVOKE_CHAINCODE, GET_STATE_METADATA, PUT_STATE_METADATA,
                    GET_PRIVATE_DATA_HASH -> serve(message);
            default -> { }
        }
    }

    private void onRegister(final ChaincodeMessage message) {
        final String id;
        try {
            id = ChaincodeID.parseFrom(message.getPayload()).getName();
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        if (autoRegister) {
            send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build());
            send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build());
        }
        // only now: a test that executes as soon as this completes must find READY ahead of its INIT
        registered.complete(id);
    }

    private void onResult(final ChaincodeMessage message) {
        final Execution execution = executions.remove(key(message.getChannelId(), message.getTxid()));
        if (execution == null) {
            return;
        }
        if (message.getType() == ChaincodeMessage.Type.COMPLETED && committable(message)) {
            commit(execution);
        }
        execution.result.complete(message);
    }

    private static boolean committable(final ChaincodeMessage completed) {
        try {
            return org.hyperledger.fabric.protos.peer.Response.parseFrom(completed.getPayload()).getStatus() < 400;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private void commit(final Execution execution) {
        final Instant now = Instant.now();
        execution.writes.forEach((key, value) -> {
            final boolean delete = value.length == 0 && execution.deletes.contains(key);
            if (delete) {
                state.remove(key);
            } else {
                state.put(key, value);
            }
            history.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(KeyModification.newBuilder()
                    .setTxId(execution.txId)
                    .setValue(delete ? ByteString.EMPTY : ByteString.copyFrom(value))
                    .setIsDelete(delete)
                    .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                    .build());
        });
    }

    private void serve(final ChaincodeMessage request) {
        if (request.getType() == ChaincodeMessage.Type.GET_STATE && !heldKeys.isEmpty()) {
            try {
                if (heldKeys.contains(GetState.parseFrom(request.getPayload()).getKey())) {
                    heldRequests.add(request);
                    return;
                }
            } catch (InvalidProtocolBufferException e) {
                // answered below as a malformed request
            }
        }
        final Execution execution = executions.get(key(request.getChannelId(), request.getTxid()));
        ChaincodeMessage answer;
        if (execution == null) {
            answer = error(request, request.getType() + " failed: transaction ID: " + request.getTxid()
                    + ": no ledger context");
        } else {
            try {
                answer = response(request, handle(request, execution));
            } catch (RequestFailed e) {
                answer = error(request, e.getMessage());
            } catch (InvalidProtocolBufferException e) {
                answer = error(request, request.getType() + " failed: " + e.getMessage());
            }
        }
        requestsServed.incrementAndGet();
        send(answer);
    }

    private ByteString handle(final ChaincodeMessage request, final Execution execution)
            throws InvalidProtocolBufferException, RequestFailed {
        return switch (request.getType()) {
            case GET_STATE -> {
                final byte[] value = state.get(GetState.parseFrom(request.getPayload()).getKey());
                yield value == null ? ByteString.EMPTY : ByteString.copyFrom(value);
            }
            case PUT_STATE -> {
                final PutState put = PutState.parseFrom(request.getPayload());
                execution.writes.put(put.getKey(), put.getValue().toByteArray());
                execution.deletes.remove(put.getKey());
                yield ByteString.EMPTY;
            }
            case DEL_STATE -> {
                final String key = DelState.parseFrom(request.getPayload()).getKey();
                execution.writes.put(key, new byte[0]);
                execution.deletes.add(key);
                yield ByteString.EMPTY;
            }
            case GET_STATE_BY_RANGE -> range(GetStateByRange.parseFrom(request.getPayload()));
            case QUERY_STATE_NEXT -> {
                final String id = QueryStateNext.parseFrom(request.getPayload()).getId();
                final Iterator<KV> iterator = iterators.get(id);
                if (iterator == null) {
                    throw new RequestFailed("query iterator not found");
                }
                yield batch(id, iterator);
            }
            case QUERY_STATE_CLOSE -> {
                final String id = QueryStateClose.parseFrom(request.getPayload()).getId();
                iterators.remove(id);
                yield QueryResponse.newBuilder().setHasMore(false).setId(id).build().toByteString();
            }
            case GET_HISTORY_FOR_KEY -> {
                final String key = GetHistoryForKey.parseFrom(request.getPayload()).getKey();
                final QueryResponse.Builder response = QueryResponse.newBuilder()
                        .setHasMore(false).setId(UUID.randomUUID().toString());
                history.getOrDefault(key, List.of()).forEach(m -> response.addResults(
                        QueryResultBytes.newBuilder().setResultBytes(m.toByteString())));
                yield response.build().toByteString();
            }
            case INVOKE_CHAINCODE -> {
                final ChaincodeSpec spec = ChaincodeSpec.parseFrom(request.getPayload());
                final Function<ChaincodeInput, ChaincodeMessage> callee = callees.get(spec.getChaincodeId().getName());
                if (callee == null) {
                    throw new RequestFailed("INVOKE_CHAINCODE failed: no chaincode " + spec.getChaincodeId().getName());
                }
                yield callee.apply(spec.getInput()).toByteString();
            }
            default -> throw new RequestFailed(request.getType() + " failed: not supported by the scripted peer");
        };
    }

    private ByteString range(final GetStateByRange request) throws InvalidProtocolBufferException {
        final QueryMetadata page = request.getMetadata().isEmpty()
                ? null : QueryMetadata.parseFrom(request.getMetadata());
        final boolean paginated = page != null && (page.getPageSize() > 0 || !page.getBookmark().isEmpty());
        final String start = paginated && !page.getBookmark().isEmpty() ? page.getBookmark() : request.getStartKey();
        final NavigableMap<String, byte[]> range = request.getEndKey().isEmpty()
                ? state.tailMap(start, true)
                : state.subMap(start, true, request.getEndKey(), false);
        final List<KV> snapshot = new ArrayList<>();
        range.forEach((k, v) -> snapshot.add(KV.newBuilder().setKey(k).setValue(ByteString.copyFrom(v)).build()));
        final String id = UUID.randomUUID().toString();
        if (paginated) {
            final int limit = page.getPageSize() > 0 ? page.getPageSize() : Integer.MAX_VALUE;
            final List<KV> first = snapshot.subList(0, Math.min(limit, snapshot.size()));
            final String bookmark = snapshot.size() > first.size() ? snapshot.get(first.size()).getKey() : "";
            final QueryResponse.Builder response = QueryResponse.newBuilder().setHasMore(false).setId(id)
                    .setMetadata(QueryResponseMetadata.newBuilder()
                            .setFetchedRecordsCount(first.size()).setBookmark(bookmark).build().toByteString());
            first.forEach(kv -> response.addResults(QueryResultBytes.newBuilder().setResultBytes(kv.toByteString())));
            return response.build().toByteString();
        }
        final Iterator<KV> iterator = snapshot.iterator();
        iterators.put(id, iterator);
        return batch(id, iterator);
    }

    private ByteString batch(final String id, final Iterator<KV> iterator) {
        final QueryResponse.Builder response = QueryResponse.newBuilder().setId(id);
        for (int i = 0; i < BATCH_SIZE && iterator.hasNext(); i++) {
            response.addResults(QueryResultBytes.newBuilder().setResultBytes(iterator.next().toByteString()));
        }
        response.setHasMore(iterator.hasNext());
        if (!iterator.hasNext()) {
            iterators.remove(id);
        }
        return response.build().toByteString();
    }

    @Override
    public void onClose(final FrameChannel end, final CloseReason reason) {
        executions.values().forEach(e -> e.result.completeExceptionally(
                new IllegalStateException("chaincode stream terminated (" + reason + ")")));
        closed.complete(reason);
    }

    // ---- message helpers ----

    private static ChaincodeMessage response(final ChaincodeMessage request, final ByteString payload) {
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.RESPONSE)
                .setChannelId(request.getChannelId()).setTxid(request.getTxid()).setPayload(payload).build();
    }

    private static ChaincodeMessage error(final ChaincodeMessage request, final String text) {
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setChannelId(request.getChannelId()).setTxid(request.getTxid())
                .setPayload(ByteString.copyFromUtf8(text)).build();
    }

    /** The COMPLETED message a callee sends for a response (for {@link #callee}). */
    public static ChaincodeMessage completed(final int status, final String message, final String payload) {
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.COMPLETED)
                .setPayload(org.hyperledger.fabric.protos.peer.Response.newBuilder().setStatus(status)
                        .setMessage(message).setPayload(ByteString.copyFromUtf8(payload)).build().toByteString())
                .build();
    }

    /** The ERROR message a failing callee sends (for {@link #callee}). */
    public static ChaincodeMessage failed(final String text) {
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(text)).build();
    }

    /** Parses the {@code peer.Response} of a COMPLETED message. */
    public static org.hyperledger.fabric.protos.peer.Response responseOf(final ChaincodeMessage completed) {
        try {
            return org.hyperledger.fabric.protos.peer.Response.parseFrom(completed.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("COMPLETED payload is not a peer.Response", e);
        }
    }

    private static String key(final String channelId, final String txId) {
        return channelId + "\u0000" + txId;
    }

    /** One INIT or TRANSACTION in flight: its write set and the shim's answer. */
    private static final class Execution {
        final String txId;
        final Map<String, byte[]> writes = new ConcurrentSkipListMap<>(KEY_ORDER);
        final java.util.Set<String> deletes = ConcurrentHashMap.newKeySet();
        final CompletableFuture<ChaincodeMessage> result = new CompletableFuture<>();

        Execution(final String txId) {
            this.txId = txId;
        }
    }

    /** A request the peer answers with ERROR. */
    private static final class RequestFailed extends Exception {
        private static final long serialVersionUID = 1L;

        RequestFailed(final String message) {
            super(message);
        }
    }
}
