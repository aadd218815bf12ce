package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * The chaincode side of a connection, scripted by the test: every message the peer sends is queued for the test to
 * take ({@link #next}), and the test sends whatever it wants ({@link #send}), protocol violations included. Runs on
 * its end's event-loop thread (receiving) and the test thread (sending); the queue is concurrent.
 */
final class ScriptedChaincode implements FrameHandler {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final String chaincodeId;
    private final BlockingQueue<ChaincodeMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private volatile FrameChannel channel;

    ScriptedChaincode(final String chaincodeId) {
        this.chaincodeId = chaincodeId;
    }

    String chaincodeId() {
        return chaincodeId;
    }

    void bind(final FrameChannel end) {
        this.channel = end;
    }

    FrameChannel channel() {
        return channel;
    }

    @Override
    public void onFrame(final FrameChannel from, final byte[] frame) {
        try {
            received.add(ChaincodeMessage.parseFrom(frame));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the peer sent a frame that is not a ChaincodeMessage", e);
        }
    }

    @Override
    public void onClose(final FrameChannel from, final CloseReason reason) {
        closed.complete(reason);
    }

    /** Completes when the channel closed, with why. */
    CompletableFuture<CloseReason> closed() {
        return closed;
    }

    void send(final ChaincodeMessage message) {
        Objects.requireNonNull(channel, "not bound").send(message.toByteArray());
    }

    /** Sends REGISTER with this chaincode's id. */
    void register() {
        register(chaincodeId);
    }

    void register(final String id) {
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTER)
                .setPayload(ChaincodeID.newBuilder().setName(id).build().toByteString()).build());
    }

    /** The next message from the peer; fails if none arrives within {@link #WAIT}. */
    ChaincodeMessage next() throws InterruptedException {
        final ChaincodeMessage message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("chaincode " + chaincodeId + ": no message from the peer within " + WAIT);
        }
        return message;
    }

    /** Messages received and not yet taken. */
    BlockingQueue<ChaincodeMessage> received() {
        return received;
    }

    /** Sends a request of {@code type} for the transaction of {@code execution}; returns the peer's answer. */
    ChaincodeMessage request(final ChaincodeMessage execution, final ChaincodeMessage.Type type,
            final ByteString payload) throws InterruptedException {
        send(requestOf(execution, type, payload));
        return next();
    }

    static ChaincodeMessage requestOf(final ChaincodeMessage execution, final ChaincodeMessage.Type type,
            final ByteString payload) {
        return ChaincodeMessage.newBuilder().setType(type).setPayload(payload).setTxid(execution.getTxid())
                .setChannelId(execution.getChannelId()).build();
    }

    /** Answers an INIT or TRANSACTION with COMPLETED carrying a response of this status and payload. */
    void complete(final ChaincodeMessage execution, final int status, final String payload) {
        send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.COMPLETED)
                .setTxid(execution.getTxid()).setChannelId(execution.getChannelId())
                .setPayload(Response.newBuilder().setStatus(status).setPayload(ByteString.copyFromUtf8(payload))
                        .build().toByteString())
                .build());
    }
}
