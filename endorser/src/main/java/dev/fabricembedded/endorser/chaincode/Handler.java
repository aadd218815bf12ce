package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.ipc.chronicle.CpuBinding;
import dev.fabricembedded.ipc.chronicle.Lane;
import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.HandlerExecutor;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.history.HistoryQueryExecutor;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetQueryResult;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer side of one chaincode connection: Fabric's handler state machine (§3.3–§3.5, §3.7 of the reference) as
 * the {@link FrameHandler} of the connection's channel.
 *
 * <table>
 * <caption>States and messages</caption>
 * <tr><th>State</th><th>Message</th><th>Action</th></tr>
 * <tr><td>any</td><td>KEEPALIVE</td><td>ignored</td></tr>
 * <tr><td>created</td><td>REGISTER</td><td>register the chaincode id with the registry; on success send REGISTERED
 * (established), READY (ready) and mark its launch ready; on refusal fail its launch, send nothing and end the
 * stream</td></tr>
 * <tr><td>created</td><td>anything else</td><td>end the stream</td></tr>
 * <tr><td>ready</td><td>COMPLETED, ERROR</td><td>deliver to the execution of (channel, txid) (read by the executing
 * thread itself when it holds the inbound lease); ignored if there is none (e.g. it timed out)</td></tr>
 * <tr><td>ready</td><td>GET_STATE, PUT_STATE, DEL_STATE, GET_STATE_BY_RANGE, QUERY_STATE_NEXT, QUERY_STATE_CLOSE,
 * GET_HISTORY_FOR_KEY, GET_STATE_METADATA, PUT_STATE_METADATA, GET_QUERY_RESULT, GET_PRIVATE_DATA_HASH</td>
 * <td>served from the execution's simulator, on this thread or on the executing thread when it holds the inbound
 * lease; answered with RESPONSE or ERROR</td></tr>
 * <tr><td>ready</td><td>INVOKE_CHAINCODE</td><td>served on a worker thread (it waits for another chaincode); answered
 * from there</td></tr>
 * <tr><td>ready</td><td>anything else</td><td>end the stream</td></tr>
 * </table>
 * A request for a (channel, txid) that already has one in progress is dropped without an answer; a request without an
 * execution is answered {@code ERROR "<TYPE> failed: transaction ID: <txid>: no ledger context"}; any failure serving
 * a request is answered with ERROR {@code "<TYPE> failed: transaction ID: <txid>: <error>"}. When the stream ends the
 * handler is deregistered, every execution waiting on it fails with {@code chaincode stream terminated}, and the
 * chaincode it was launched for is stopped.
 *
 * <p>Threads, and who does what:
 * <ul>
 * <li>The channel's event-loop thread owns the state ({@link #state}, the registration, the keepalive task): it alone
 * calls {@link #onFrame} and {@link #onClose}, handles REGISTER, and serves every frame nobody else claimed.</li>
 * <li>An executing thread ({@link #execute}, the endorser's caller) sends INIT/TRANSACTION and waits for the answer.
 * When the channel lends it its inbound lease (a Chronicle channel whose lease is free; in-JVM channels never do), it
 * reads the inbound queue itself while it waits ({@link OwnFrameReader}) and serves the frames of its own (channel,
 * txid) whose type is in {@link OwnFrameReader#CLAIMED} with the same code the event-loop thread runs; every other
 * frame goes on to the event-loop thread in queue order. Once its wait strategy would park, it gives the lease back and
 * parks until the answer (delivered by the event-loop thread) wakes it. Only one execution holds the lease at a time;
 * the others wait the ordinary way.</li>
 * <li>An executing thread that got a lane of the channel ({@link ChronicleChannel#tryAcquireLane()}, first choice)
 * does not touch the channel at all: it sends INIT/TRANSACTION on the lane and reads every frame of its conversation
 * from the lane itself, between them yielding to the chaincode's thread on their shared CPU (or asleep on the lane's
 * doorbell when it cannot be there), serving the requests with the same code and
 * answering on the lane (see {@code executeOnLane}). A lane carries one conversation at a time. For the conversation
 * the thread runs on the lane's home CPU ({@link Lane#settleAtHome()}: where it runs already, usually, else bound there
 * and given its own CPU mask back after), where the chaincode's thread of the lane runs too.</li>
 * <li>A support worker serves INVOKE_CHAINCODE (it waits for another chaincode), never claimed by an executing
 * thread; its answer goes out on the channel or lane the request came on.</li>
 * </ul>
 * What request serving reads off the event-loop thread is safely published: the registered chaincode ({@code
 * instance}) and the channel are volatile, {@code state} is not read at all (an execution only starts once the
 * handler is in the registry as ready, and READY is final), the transaction contexts and the set of active requests
 * are concurrent maps (the "one request at a time per txid" rule holds whichever thread serves), and the simulator and
 * the iterators are used under their context's lock. A request served on an executing thread never closes the
 * channel synchronously (a close waits for the lease the thread holds): a failed send hands the close to the
 * event-loop thread.
 */
final class Handler implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Handler.class);

    private final ChaincodeSupport support;
    private final LaunchedChaincode launch;
    private final TransactionContexts contexts = new TransactionContexts();
    private final Set<String> activeRequests = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<CloseReason> streamDone = new CompletableFuture<>();
    /** Executions whose thread reads its own frames now (holds the channel's inbound lease). */
    private final AtomicInteger ownFrameReaders = new AtomicInteger();
    /** Frames executing threads read and served themselves. */
    private final LongAdder framesServedByExecutingThreads = new LongAdder();
    /** Executions over a lane of the channel, now and since the start (for tests). */
    private final AtomicInteger executionsOnLanes = new AtomicInteger();
    private final LongAdder executionsOverLanes = new LongAdder();
    private volatile FrameChannel channel;
    /** Owned by the event-loop thread. */
    private HandlerState state = HandlerState.CREATED;
    /** Set on the event-loop thread when REGISTER arrives; read by request handling on workers. */
    private volatile ChaincodeInstance instance;
    /** Owned by the event-loop thread. */
    private String registeredName;
    /** Owned by the event-loop thread. */
    private ScheduledFuture<?> keepalive;

    /**
     * @param launch the launch this connection was started for, or null for a connection the peer did not start
     */
    Handler(final ChaincodeSupport support, final LaunchedChaincode launch) {
        this.support = support;
        this.launch = launch;
    }

    /** The registered chaincode id ({@code name:version}), or null before REGISTER. */
    String chaincodeName() {
        final ChaincodeInstance registered = instance;
        return registered == null ? null : registered.name() + (registered.version().isEmpty() ? ""
                : ":" + registered.version());
    }

    /** How many executions are waiting for this chaincode's answer. */
    int executionsInProgress() {
        return contexts.size();
    }

    /** How many executions in progress took the channel's inbound lease to read their own frames (for tests). */
    int executionsReadingOwnFrames() {
        return ownFrameReaders.get();
    }

    /** The saturation hint as the chaincode's channel holds it now, which both processes read (for tests). */
    boolean channelSaysCoresSaturated() {
        return channel instanceof HandlerExecutor loop && loop.coresSaturated();
    }

    /** The lanes of the chaincode's channel (for tests). */
    List<Lane> lanes() {
        return channel instanceof ChronicleChannel chronicle ? chronicle.lanes() : List.of();
    }

    /** How many executions are running over a lane of the channel now (for tests). */
    int executionsOnLanes() {
        return executionsOnLanes.get();
    }

    /** How many executions have run over a lane of the channel (for tests). */
    long executionsOverLanes() {
        return executionsOverLanes.sum();
    }

    /** How many frames executing threads have read and served themselves, not the event-loop thread (for tests). */
    long framesServedByExecutingThreads() {
        return framesServedByExecutingThreads.sum();
    }

    // ---- execute (caller's thread) ----

    /**
     * Sends INIT or TRANSACTION and waits for the chaincode's COMPLETED or ERROR (Fabric's {@code Handler.Execute}).
     *
     * @throws ChaincodeException {@code txid: <txid>(<ch>) exists}, {@code timeout expired while executing
     *                            transaction}, {@code chaincode stream terminated}, or the proposal is inconsistent
     */
    ChaincodeMessage execute(final ChaincodeContext context, final ChaincodeMessage message, final Duration timeout)
            throws ChaincodeException {
        if (context.proposal() != null && context.signedProposal() == null) {
            throw new ChaincodeException("failed getting proposal context. Signed proposal is nil");
        }
        final TransactionContext transaction = contexts.create(context);
        try {
            final FrameChannel out = channel;
            if (out == null || streamDone.isDone()) {
                throw new ChaincodeException(ChaincodeSupport.STREAM_TERMINATED);
            }
            final ChaincodeMessage toSend = context.proposal() != null
                    ? message.toBuilder().setProposal(context.signedProposal()).build() : message;
            final Lane lane = out instanceof ChronicleChannel chronicle ? chronicle.tryAcquireLane() : null;
            if (lane != null) {
                boolean clean = false;
                executionsOverLanes.increment();
                executionsOnLanes.incrementAndGet();
                // on the CPU the chaincode's thread of this lane runs on: every hand-off stays on one CPU
                try (CpuBinding ignored = lane.settleAtHome()) {
                    final ChaincodeMessage answer = executeOnLane(lane, toSend, message, transaction, timeout);
                    clean = true;
                    return answer;
                } finally {
                    executionsOnLanes.decrementAndGet();
                    if (clean) {
                        ((ChronicleChannel) out).releaseLane(lane);
                    } else {
                        // abandoned (timeout, interrupt, stream ended): a late frame must not reach the next
                        // conversation, and the chaincode's thread on it learns that the conversation is over
                        lane.close();
                    }
                }
            }
            // taken before sending, so that the chaincode's first request is read here
            try (OwnFrameReader reader = OwnFrameReader.take(out, context.channelId(), context.txId(),
                    this::serveOwn)) {
                if (reader == null) {
                    return sendAndAwait(out, toSend, message, transaction, timeout, null);
                }
                ownFrameReaders.incrementAndGet();
                try {
                    return sendAndAwait(out, toSend, message, transaction, timeout, reader);
                } finally {
                    ownFrameReaders.decrementAndGet();
                }
            }
        } finally {
            contexts.delete(transaction);
        }
    }

    /**
     * The execution over a lane of the chaincode's channel, which carries this transaction only: this thread sends
     * INIT or TRANSACTION, then reads every frame of the conversation itself, serving the chaincode's requests with the
     * code the event-loop thread runs and answering on the lane, until COMPLETED or ERROR. Between frames it waits
     * with {@link Lane#awaitReply}: at home on the lane's CPU (the caller settled there), it yields to the chaincode's
     * thread, which computes the next frame on that CPU; elsewhere it sleeps on the lane's doorbell (at once while the
     * cores are saturated, else after the execution wait strategy's polls) until the frame wakes it. An abandoned
     * conversation (timeout, interrupt, stream ended) closes its lane instead of giving it back, so that no late frame
     * reaches the next one.
     */
    private ChaincodeMessage executeOnLane(final Lane lane, final ChaincodeMessage toSend, final ChaincodeMessage message,
            final TransactionContext transaction, final Duration timeout) throws ChaincodeException {
        // both processes' ends read the hint when they next wait (see ProposalLoad)
        lane.coresSaturated(support.proposalLoad().saturated());
        final ChaincodeMessage failedSend = sendExecution(lane, toSend, message);
        if (failedSend != null) {
            return failedSend;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw new ChaincodeException("timeout expired while executing transaction");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new ChaincodeException("interrupted while executing transaction");
            }
            final byte[] frame;
            try {
                frame = lane.awaitReply(remaining);
            } catch (ChannelClosedException e) {
                throw new ChaincodeException(ChaincodeSupport.STREAM_TERMINATED);
            }
            if (frame == null) {
                continue;
            }
            final ChaincodeMessage received;
            try {
                received = ChaincodeMessage.parseFrom(frame);
            } catch (InvalidProtocolBufferException e) {
                throw new ChaincodeException(ChaincodeSupport.STREAM_TERMINATED);
            }
            if (!received.getTxid().equals(message.getTxid()) || !received.getChannelId().equals(message.getChannelId())) {
                LOG.debug("chaincode {}: {} for {} on lane {} ignored", chaincodeName(), received.getType(),
                        received.getTxid(), lane.name());
                continue;
            }
            framesServedByExecutingThreads.increment();
            switch (received.getType()) {
                case COMPLETED, ERROR -> {
                    transaction.notify(received);
                    return received;
                }
                case INVOKE_CHAINCODE -> handleInvokeChaincodeRequest(received, lane);
                default -> handleTransaction(received, lane);
            }
        }
    }

    /**
     * Sends INIT or TRANSACTION: {@code null} once sent; Fabric's ERROR for the execution when the send failed
     * otherwise than by the stream's end (Fabric delivers a failed send to the waiting execution as an ERROR).
     *
     * @throws ChaincodeException {@code chaincode stream terminated} when the channel or lane is closed
     */
    private ChaincodeMessage sendExecution(final FrameChannel out, final ChaincodeMessage toSend,
            final ChaincodeMessage message) throws ChaincodeException {
        try {
            out.send(toSend.toByteArray());
            return null;
        } catch (ChannelClosedException e) {
            throw new ChaincodeException(ChaincodeSupport.STREAM_TERMINATED);
        } catch (RuntimeException e) {
            return error(message, "[" + shortTxId(message.getTxid()) + "] error sending " + message.getType() + ": "
                    + e.getMessage());
        }
    }

    private ChaincodeMessage sendAndAwait(final FrameChannel out, final ChaincodeMessage toSend,
            final ChaincodeMessage message, final TransactionContext transaction, final Duration timeout,
            final OwnFrameReader reader) throws ChaincodeException {
        final HandlerExecutor loop = out instanceof HandlerExecutor executor ? executor : null;
        if (loop != null) {
            // before the frame: both processes' event loops read the hint when they next idle (see ProposalLoad)
            loop.coresSaturated(support.proposalLoad().saturated());
        }
        final ChaincodeMessage failedSend = sendExecution(out, toSend, message);
        if (failedSend != null) {
            return failedSend;
        }
        if (reader == null) {
            expectRequests(out);
        }
        final boolean loopWakesOnInput = loop != null && loop.wakesOnInput();
        return transaction.await(timeout, support.executionWaitStrategy(), reader, loopWakesOnInput);
    }

    /**
     * Serves a message of the caller's own transaction on the caller's thread ({@link OwnFrameReader}), with the code
     * the event-loop thread would run for it in ready state; {@link OwnFrameReader#CLAIMED} are exactly the types
     * handled here.
     */
    private void serveOwn(final ChaincodeMessage message) {
        framesServedByExecutingThreads.increment();
        if (message.getType() == ChaincodeMessage.Type.COMPLETED || message.getType() == ChaincodeMessage.Type.ERROR) {
            notifyExecution(message);
        } else {
            handleTransaction(message);
        }
    }

    /**
     * Makes the event-loop thread poll at full speed again for the requests the chaincode is about to send (only when
     * the executing thread does not read them itself): since the last execution it has idled with its wait strategy,
     * down to parks that a frame written by another process cannot cut short. Without this, the chaincode's first
     * GET_STATE waited out such a park on every endorsement.
     */
    private static void expectRequests(final FrameChannel out) {
        if (out instanceof HandlerExecutor loop) {
            loop.hurry();
        }
    }

    // ---- the state machine (event-loop thread) ----

    @Override
    public void onFrame(final FrameChannel from, final byte[] frame) {
        if (channel == null) {
            channel = from;
        }
        final ChaincodeMessage message;
        try {
            message = ChaincodeMessage.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            endStream("received a frame that is not a ChaincodeMessage: " + e.getMessage());
            return;
        }
        if (message.getType() == ChaincodeMessage.Type.KEEPALIVE) {
            return;
        }
        switch (state) {
            case CREATED -> {
                if (message.getType() == ChaincodeMessage.Type.REGISTER) {
                    handleRegister(message);
                } else {
                    endStream("[" + message.getTxid() + "] Fabric side handler cannot handle message ("
                            + message.getType() + ") while in created state");
                }
            }
            case READY -> handleReady(message);
            default -> endStream("handle message: invalid state " + state + " for transaction " + message.getTxid());
        }
    }

    private void handleRegister(final ChaincodeMessage message) {
        final ChaincodeID chaincodeId;
        try {
            chaincodeId = ChaincodeID.parseFrom(message.getPayload());
        } catch (InvalidProtocolBufferException e) {
            // Fabric only logs this; the chaincode stays unregistered
            LOG.error("Error in received REGISTER, could NOT unmarshal registration info: {}", e.getMessage());
            return;
        }
        final String name = chaincodeId.getName();
        try {
            support.registry().register(name, this);
        } catch (ChaincodeException e) {
            support.registry().failed(name, e.getMessage());
            // Fabric leaves a refused stream open in created state; an embedded peer ends it so that a chaincode it
            // refused holds nothing of the peer's
            endStream("REGISTER refused: " + e.getMessage());
            return;
        }
        registeredName = name;
        instance = ChaincodeInstance.parse(name);
        try {
            send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build());
            state = HandlerState.ESTABLISHED;
            send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build());
            state = HandlerState.READY;
        } catch (RuntimeException e) {
            support.registry().failed(name, "error sending " + (state == HandlerState.CREATED ? "REGISTERED" : "READY")
                    + ": " + e.getMessage());
            endStream("could not complete the registration of " + name + ": " + e.getMessage());
            return;
        }
        support.registry().ready(name);
        LOG.info("chaincode {} registered and ready", name);
        startKeepalive();
    }

    private void handleReady(final ChaincodeMessage message) {
        switch (message.getType()) {
            case COMPLETED, ERROR -> notifyExecution(message);
            case GET_STATE, PUT_STATE, DEL_STATE, GET_STATE_BY_RANGE, QUERY_STATE_NEXT, QUERY_STATE_CLOSE,
                    GET_QUERY_RESULT, GET_HISTORY_FOR_KEY, GET_STATE_METADATA, PUT_STATE_METADATA,
                    GET_PRIVATE_DATA_HASH -> handleTransaction(message);
            case INVOKE_CHAINCODE -> handleInvokeChaincodeRequest(message);
            default -> endStream("[" + message.getTxid() + "] Fabric side handler cannot handle message ("
                    + message.getType() + ") while in ready state");
        }
    }

    private void notifyExecution(final ChaincodeMessage message) {
        final TransactionContext transaction = contexts.get(message.getChannelId(), message.getTxid());
        if (transaction == null) {
            LOG.debug("chaincode {}: {} for {}({}) ignored: no execution waits for it (timed out?)", chaincodeName(),
                    message.getType(), message.getTxid(), message.getChannelId());
            return;
        }
        transaction.notify(message);
    }

    @Override
    public void onClose(final FrameChannel from, final CloseReason reason) {
        if (channel == null) {
            channel = from;
        }
        streamDone.complete(reason);
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        if (registeredName != null) {
            support.registry().deregister(registeredName, this);
            LOG.info("chaincode {}: stream ended ({}); deregistered", registeredName, reason);
        } else {
            LOG.debug("chaincode connection {} ended before registering: {}", from.name(), reason);
        }
        contexts.terminateAll(ChaincodeSupport.STREAM_TERMINATED);
        if (launch != null) {
            support.launcher().streamEnded(launch);
        }
    }

    // ---- requests ----

    /** Fabric's {@code HandleTransaction} for the requests served on this thread. */
    private void handleTransaction(final ChaincodeMessage request) {
        handleTransaction(request, channel);
    }

    private void handleTransaction(final ChaincodeMessage request, final FrameChannel out) {
        if (!registerRequest(request)) {
            return;
        }
        ChaincodeMessage response;
        try {
            final TransactionContext transaction = validTxContext(request.getChannelId(), request.getTxid(),
                    "no ledger context");
            synchronized (transaction.lock()) {
                if (transaction.isClosed()) {
                    throw new ChaincodeException("no ledger context");
                }
                response = serve(request, transaction);
            }
        } catch (ChaincodeException | RuntimeException e) {
            response = failed(request, e);
        }
        finish(request, response, out);
    }

    private ChaincodeMessage serve(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        return switch (request.getType()) {
            case GET_STATE -> getState(request, transaction);
            case PUT_STATE -> putState(request, transaction);
            case DEL_STATE -> delState(request, transaction);
            case GET_STATE_BY_RANGE -> getStateByRange(request, transaction);
            case QUERY_STATE_NEXT -> queryStateNext(request, transaction);
            case QUERY_STATE_CLOSE -> queryStateClose(request, transaction);
            case GET_QUERY_RESULT -> getQueryResult(request, transaction);
            case GET_HISTORY_FOR_KEY -> getHistoryForKey(request, transaction);
            case GET_STATE_METADATA -> getStateMetadata(request, transaction);
            case PUT_STATE_METADATA -> putStateMetadata(request, transaction);
            case GET_PRIVATE_DATA_HASH -> getPrivateDataHash(request, transaction);
            default -> throw new IllegalStateException("not a request served here: " + request.getType());
        };
    }

    private ChaincodeMessage getState(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final GetState getState = parse(request, GetState::parseFrom);
        refusePrivateData(getState.getCollection(), transaction);
        // a view of the committed bytes: the response copies them once, into its frame
        final ByteString value = transaction.context().simulator().getStateByteString(namespace(), getState.getKey());
        return response(request, value == null ? ByteString.EMPTY : value);
    }

    private ChaincodeMessage putState(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final PutState putState = parse(request, PutState::parseFrom);
        refusePrivateData(putState.getCollection(), transaction);
        transaction.context().simulator().setState(namespace(), putState.getKey(), putState.getValue().toByteArray());
        return response(request, ByteString.EMPTY);
    }

    private ChaincodeMessage delState(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final DelState delState = parse(request, DelState::parseFrom);
        refusePrivateData(delState.getCollection(), transaction);
        transaction.context().simulator().deleteState(namespace(), delState.getKey());
        return response(request, ByteString.EMPTY);
    }

    private ChaincodeMessage getStateByRange(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final GetStateByRange range = parse(request, GetStateByRange::parseFrom);
        final QueryMetadata metadata = range.getMetadata().isEmpty() ? null
                : parse(request, bytes -> QueryMetadata.parseFrom(range.getMetadata()));
        refusePrivateData(range.getCollection(), transaction);
        final int totalReturnLimit = totalReturnLimit(metadata);
        final boolean paginated = metadata != null && (metadata.getPageSize() != 0 || !metadata.getBookmark().isEmpty());
        final TxSimulator simulator = transaction.context().simulator();
        final String id;
        if (paginated) {
            final String start = metadata.getBookmark().isEmpty() ? range.getStartKey() : metadata.getBookmark();
            id = transaction.openQuery(simulator.getStateRangeScanIteratorWithPagination(namespace(), start,
                    range.getEndKey(), totalReturnLimit));
        } else {
            id = transaction.openQuery(simulator.getStateRangeScanIterator(namespace(), range.getStartKey(),
                    range.getEndKey()));
        }
        return queryResponse(request, support.queryResponses().build(transaction, id, paginated, totalReturnLimit));
    }

    private ChaincodeMessage queryStateNext(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final QueryStateNext next = parse(request, QueryStateNext::parseFrom);
        if (transaction.query(next.getId()) == null) {
            throw new ChaincodeException("query iterator not found");
        }
        return queryResponse(request, support.queryResponses().build(transaction, next.getId(), false,
                totalReturnLimit(null)));
    }

    private ChaincodeMessage queryStateClose(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final QueryStateClose close = parse(request, QueryStateClose::parseFrom);
        transaction.closeQuery(close.getId());
        return queryResponse(request, QueryResponse.newBuilder().setHasMore(false).setId(close.getId()).build());
    }

    private ChaincodeMessage getQueryResult(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final GetQueryResult query = parse(request, GetQueryResult::parseFrom);
        refusePrivateData(query.getCollection(), transaction);
        throw new ChaincodeException("ExecuteQuery not supported: rich queries need CouchDB, and this peer's state"
                + " database is a key-value store");
    }

    private ChaincodeMessage getHistoryForKey(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final GetHistoryForKey history = parse(request, GetHistoryForKey::parseFrom);
        final HistoryQueryExecutor executor = transaction.context().historyExecutor();
        if (executor == null) {
            throw new ChaincodeException("History tracking not enabled - historyDatabase is false");
        }
        final String id = transaction.openQuery(executor.getHistoryForKey(namespace(), history.getKey()));
        return queryResponse(request, support.queryResponses().build(transaction, id, false, totalReturnLimit(null)));
    }

    private ChaincodeMessage getStateMetadata(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        checkMetadataCapability(request.getChannelId());
        final GetStateMetadata get = parse(request, GetStateMetadata::parseFrom);
        refusePrivateData(get.getCollection(), transaction);
        final Map<String, byte[]> metadata = new TreeMap<>(
                transaction.context().simulator().getStateMetadata(namespace(), get.getKey()));
        final StateMetadataResult.Builder result = StateMetadataResult.newBuilder();
        metadata.forEach((key, value) -> result.addEntries(StateMetadata.newBuilder().setMetakey(key)
                .setValue(ByteString.copyFrom(value))));
        return response(request, result.build().toByteString());
    }

    private ChaincodeMessage putStateMetadata(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        checkMetadataCapability(request.getChannelId());
        final PutStateMetadata put = parse(request, PutStateMetadata::parseFrom);
        refusePrivateData(put.getCollection(), transaction);
        transaction.context().simulator().setStateMetadata(namespace(), put.getKey(),
                Map.of(put.getMetadata().getMetakey(), put.getMetadata().getValue().toByteArray()));
        return response(request, ByteString.EMPTY);
    }

    private ChaincodeMessage getPrivateDataHash(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final GetState getState = parse(request, GetState::parseFrom);
        if (transaction.context().isInit()) {
            throw new ChaincodeException("private data APIs are not allowed in chaincode Init()");
        }
        throw new ChaincodeException("private data is not supported by this peer (collection "
                + getState.getCollection() + ")");
    }

    /** Fabric: private data is never allowed in Init; this peer has no private data at all (a non-goal). */
    private static void refusePrivateData(final String collection, final TransactionContext transaction)
            throws ChaincodeException {
        if (collection.isEmpty()) {
            return;
        }
        if (transaction.context().isInit()) {
            throw new ChaincodeException("private data APIs are not allowed in chaincode Init()");
        }
        throw new ChaincodeException("private data is not supported by this peer (collection " + collection + ")");
    }

    private void checkMetadataCapability(final String channelId) throws ChaincodeException {
        final Optional<ApplicationCapabilities> capabilities =
                support.applicationConfig().applicationCapabilities(channelId);
        if (capabilities.isEmpty()) {
            throw new ChaincodeException("application config does not exist for " + channelId);
        }
        if (!capabilities.get().keyLevelEndorsement()) {
            throw new ChaincodeException("key level endorsement is not enabled, channel application capability of"
                    + " V1_3 or later is required");
        }
    }

    private int totalReturnLimit(final QueryMetadata metadata) {
        final int total = support.totalQueryLimit();
        if (metadata != null && metadata.getPageSize() > 0 && metadata.getPageSize() < total) {
            return metadata.getPageSize();
        }
        return total;
    }

    // ---- INVOKE_CHAINCODE (§3.7) ----

    private void handleInvokeChaincodeRequest(final ChaincodeMessage request) {
        handleInvokeChaincodeRequest(request, channel);
    }

    private void handleInvokeChaincodeRequest(final ChaincodeMessage request, final FrameChannel out) {
        if (!registerRequest(request)) {
            return;
        }
        final TransactionContext transaction;
        try {
            transaction = txContextForInvoke(request);
        } catch (ChaincodeException | RuntimeException e) {
            finish(request, failed(request, e), out);
            return;
        }
        try {
            // the callee may have to be launched and runs a whole transaction: never on this event-loop thread
            support.invokeWorkers().execute(() -> {
                ChaincodeMessage response;
                try {
                    response = invokeChaincode(request, transaction);
                } catch (ChaincodeException | RuntimeException e) {
                    response = failed(request, e);
                }
                finish(request, response, out);
            });
        } catch (RejectedExecutionException e) {
            finish(request, failed(request, new ChaincodeException("chaincode support is closed")), out);
        }
    }

    private TransactionContext txContextForInvoke(final ChaincodeMessage request) throws ChaincodeException {
        if (!request.getChannelId().isEmpty()) {
            return validTxContext(request.getChannelId(), request.getTxid(), "could not get valid transaction");
        }
        final ChaincodeSpec spec = parse(request, ChaincodeSpec::parseFrom);
        final ChaincodeInstance target = ChaincodeInstance.parse(spec.getChaincodeId().getName());
        if (!support.systemChaincodes().isSysCC(target.name())) {
            // an application chaincode needs a ledger context, which a chainless call has not
            return validTxContext("", request.getTxid(), "could not get valid transaction");
        }
        final TransactionContext transaction = contexts.get("", request.getTxid());
        if (transaction == null) {
            throw new ChaincodeException("failed to get transaction context");
        }
        return transaction;
    }

    /** Runs on a worker: the callee's whole execution, on the caller's simulator when on the same channel. */
    private ChaincodeMessage invokeChaincode(final ChaincodeMessage request, final TransactionContext transaction)
            throws ChaincodeException {
        final ChaincodeSpec spec = parse(request, ChaincodeSpec::parseFrom);
        final ChaincodeInstance parsed = ChaincodeInstance.parse(spec.getChaincodeId().getName());
        final ChaincodeInstance target = new ChaincodeInstance(
                parsed.channelId().isEmpty() ? transaction.channelId() : parsed.channelId(), parsed.name(),
                parsed.version());
        checkAcl(transaction.context(), target);
        final ChaincodeContext caller = transaction.context();
        if (target.channelId().equals(caller.channelId())) {
            return invokeOn(request, spec, target, caller, caller.simulator(), caller.historyExecutor());
        }
        final ChannelLedger ledger = support.ledgers().ledger(target.channelId()).orElseThrow(() ->
                new ChaincodeException("failed to find ledger for channel: " + target.channelId()));
        // another channel: a simulator of its own, whose results are never collected (effectively read-only)
        try (TxSimulator simulator = ledger.newTxSimulator(request.getTxid())) {
            HistoryQueryExecutor history;
            try {
                history = ledger.newHistoryQueryExecutor();
            } catch (UnsupportedOperationException e) {
                history = null;
            }
            return invokeOn(request, spec, target, caller, simulator, history);
        }
    }

    private ChaincodeMessage invokeOn(final ChaincodeMessage request, final ChaincodeSpec spec,
            final ChaincodeInstance target, final ChaincodeContext caller, final TxSimulator simulator,
            final HistoryQueryExecutor history) throws ChaincodeException {
        String version = support.systemChaincodes().version();
        if (!support.systemChaincodes().isSysCC(target.name())) {
            final ChaincodeData definition;
            synchronized (simulator == null ? this : simulator) {
                definition = support.lifecycle().chaincodeDefinition(target.channelId(), target.name(), simulator);
            }
            version = definition.version();
            support.lifecycle().checkInstantiationPolicy(target.name(), version, definition);
        }
        final ChaincodeContext callee = caller.forCallee(target.channelId(), target.name(), version, simulator,
                history);
        final ChaincodeMessage calleeAnswer;
        try {
            calleeAnswer = support.invoke(callee, spec.getInput());
        } catch (ChaincodeException e) {
            throw e.wrap("execute failed");
        }
        return response(request, calleeAnswer.toByteString());
    }

    /** Fabric's {@code checkACL} for a chaincode-to-chaincode call. */
    private void checkAcl(final ChaincodeContext caller, final ChaincodeInstance target) throws ChaincodeException {
        final SystemChaincodes systemChaincodes = support.systemChaincodes();
        if (systemChaincodes.isSysCCAndNotInvokableCC2CC(target.name())) {
            throw new ChaincodeException("system chaincode " + target.name()
                    + " cannot be invoked with a cc2cc invocation");
        }
        if (systemChaincodes.isSysCC(target.name())) {
            return;
        }
        if (caller.signedProposal() == null) {
            throw new ChaincodeException("signed proposal must not be nil from caller [" + target + "]");
        }
        support.acl().checkAcl(AclProvider.CHAINCODE_TO_CHAINCODE, target.channelId(), caller.signedProposal());
    }

    // ---- request plumbing ----

    /** Fabric's {@code registerTxid}: one request at a time per (channel, txid); a second one is dropped. */
    private boolean registerRequest(final ChaincodeMessage request) {
        if (activeRequests.add(requestKey(request))) {
            return true;
        }
        LOG.error("[{}] Another request pending for this CC: {}, Txid: {}, ChannelID: {}. Cannot process.",
                shortTxId(request.getTxid()), chaincodeName(), request.getTxid(), request.getChannelId());
        return false;
    }

    private TransactionContext validTxContext(final String channelId, final String txId, final String error)
            throws ChaincodeException {
        final TransactionContext transaction = contexts.get(channelId, txId);
        if (transaction == null || transaction.context().simulator() == null) {
            throw new ChaincodeException(error);
        }
        return transaction;
    }

    /** Ends a request: frees its (channel, txid) and sends the answer (from any thread). */
    private void finish(final ChaincodeMessage request, final ChaincodeMessage response) {
        finish(request, response, channel);
    }

    private void finish(final ChaincodeMessage request, final ChaincodeMessage response, final FrameChannel out) {
        activeRequests.remove(requestKey(request));
        try {
            out.send(response.toByteArray());
        } catch (ChannelClosedException e) {
            LOG.debug("chaincode {}: {} for {} not sent, the stream ended", chaincodeName(), response.getType(),
                    request.getTxid());
        } catch (RuntimeException e) {
            // Fabric: a failed send fails the waiting execution and ends the stream
            final String text = "[" + shortTxId(request.getTxid()) + "] error sending " + response.getType() + ": "
                    + e.getMessage();
            LOG.error("chaincode {}: {}", chaincodeName(), text);
            final TransactionContext transaction = contexts.get(request.getChannelId(), request.getTxid());
            if (transaction != null) {
                transaction.notify(error(request, text));
            }
            closeFromAnyThread(out);
        }
    }

    /**
     * Ends the stream without waiting for it: the caller may be an executing thread that holds the channel's inbound
     * lease, and a channel's close waits for that lease to be returned; the event-loop thread closes it instead.
     */
    private static void closeFromAnyThread(final FrameChannel out) {
        if (out instanceof HandlerExecutor loop && !loop.inHandlerThread()) {
            try {
                loop.execute(out::close);
            } catch (RejectedExecutionException e) {
                // closing already
            }
        } else {
            out.close();
        }
    }

    private void send(final ChaincodeMessage message) {
        channel.send(message.toByteArray());
    }

    private void endStream(final String error) {
        LOG.error("chaincode connection {}: {}; ending stream", channel == null ? "?" : channel.name(), error);
        final FrameChannel out = channel;
        if (out != null) {
            out.close();
        }
    }

    private void startKeepalive() {
        final Duration interval = support.keepalive();
        if (interval.isZero()) {
            return;
        }
        final byte[] frame = ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.KEEPALIVE).build()
                .toByteArray();
        try {
            keepalive = support.keepaliveTimer().scheduleAtFixedRate(() -> {
                final FrameChannel out = channel;
                try {
                    out.send(frame);
                } catch (ChannelClosedException e) {
                    // the stream is ending; onClose cancels this task
                } catch (RuntimeException e) {
                    LOG.error("chaincode {}: sending KEEPALIVE failed, ending stream: {}", chaincodeName(), e.toString());
                    out.close();
                }
            }, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("chaincode support closing: no keepalive for {}", chaincodeName());
        }
    }

    private String namespace() {
        return instance.name();
    }

    private static ChaincodeMessage response(final ChaincodeMessage request, final ByteString payload) {
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.RESPONSE).setPayload(payload)
                .setTxid(request.getTxid()).setChannelId(request.getChannelId()).build();
    }

    private static ChaincodeMessage queryResponse(final ChaincodeMessage request, final QueryResponse response) {
        return response(request, response.toByteString());
    }

    private static ChaincodeMessage error(final ChaincodeMessage request, final String text) {
        return ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                .setPayload(ByteString.copyFromUtf8(text)).setTxid(request.getTxid())
                .setChannelId(request.getChannelId()).build();
    }

    /** Fabric's wrapping of a failed request: {@code <TYPE> failed: transaction ID: <txid>: <error>}. */
    private ChaincodeMessage failed(final ChaincodeMessage request, final Exception failure) {
        final String text = request.getType() + " failed: transaction ID: " + request.getTxid() + ": "
                + failure.getMessage();
        if (failure instanceof ChaincodeException || failure instanceof IllegalArgumentException) {
            // expected refusals (bad keys, values above the ledger's limits): the chaincode gets the text
            LOG.debug("chaincode {}: {}", chaincodeName(), text);
        } else {
            LOG.warn("chaincode {}: {}", chaincodeName(), text, failure);
        }
        return error(request, text);
    }

    private static String requestKey(final ChaincodeMessage request) {
        return request.getChannelId() + '\u0000' + request.getTxid();
    }

    private static String shortTxId(final String txId) {
        return txId.length() < 8 ? txId : txId.substring(0, 8);
    }

    /** A protobuf parser of a request's payload. */
    @FunctionalInterface
    private interface PayloadParser<T> {
        T parse(ByteString payload) throws InvalidProtocolBufferException;
    }

    private static <T> T parse(final ChaincodeMessage request, final PayloadParser<T> parser)
            throws ChaincodeException {
        try {
            return parser.parse(request.getPayload());
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("unmarshal failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "handler of " + (chaincodeName() == null ? "an unregistered chaincode" : chaincodeName());
    }
}
