package dev.fabricembedded.shim.impl;

import static dev.fabricembedded.shim.scripted.InJvmChaincode.TIMEOUT;
import static dev.fabricembedded.shim.scripted.InJvmChaincode.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.PeerRequestException;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chaincode-side state machine against a scripted peer over the in-JVM channel: every transition, and every
 * message type in every state where it is not expected (Fabric's Java shim: warning, state unchanged).
 */
class ShimStateMachineTest {

    /** Answers "init" / "invoke" with the function name as payload. */
    private static final Chaincode ECHO = new Chaincode() {
        @Override
        public Response init(final ChaincodeStub stub) {
            return Response.success("init:" + String.join(",", stub.getStringArgs()));
        }

        @Override
        public Response invoke(final ChaincodeStub stub) {
            return Response.success("invoke:" + String.join(",", stub.getStringArgs()));
        }
    };

    private static final Set<Type> REAL_TYPES = EnumSet.complementOf(EnumSet.of(Type.UNRECOGNIZED));

    static Stream<Type> unexpectedInCreated() {
        return REAL_TYPES.stream().filter(t -> t != Type.REGISTERED && t != Type.KEEPALIVE);
    }

    static Stream<Type> unexpectedInEstablished() {
        return REAL_TYPES.stream().filter(t -> t != Type.READY && t != Type.KEEPALIVE);
    }

    static Stream<Type> unexpectedInReady() {
        return REAL_TYPES.stream().filter(t -> !EnumSet.of(Type.KEEPALIVE, Type.RESPONSE, Type.ERROR, Type.INIT,
                Type.TRANSACTION).contains(t));
    }

    private static ChaincodeMessage message(final Type type) {
        return ChaincodeMessage.newBuilder().setType(type).setChannelId("ch").setTxid("tx-unexpected").build();
    }

    @Test
    void registersWithNameAndVersionThenFollowsRegisteredAndReady() throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.manual(ECHO)) {
            final ChaincodeMessage register = shim.peer.next(TIMEOUT);
            assertThat(register.getType()).isEqualTo(Type.REGISTER);
            assertThat(ChaincodeID.parseFrom(register.getPayload()).getName()).isEqualTo("mycc:1.0");
            assertThat(register.getTxid()).isEmpty();
            assertThat(shim.connection.state()).isEqualTo(ShimState.CREATED);

            shim.peer.send(message(Type.REGISTERED));
            awaitTrue(() -> shim.connection.state() == ShimState.ESTABLISHED, "ESTABLISHED");
            shim.peer.send(message(Type.READY));
            awaitTrue(() -> shim.connection.state() == ShimState.READY, "READY");

            final ChaincodeMessage completed = shim.peer.execute(Type.INIT, "ch", "tx1", "init", "a", "1")
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(completed.getType()).isEqualTo(Type.COMPLETED);
            assertThat(completed.getTxid()).isEqualTo("tx1");
            assertThat(completed.getChannelId()).isEqualTo("ch");
            assertThat(ScriptedPeer.responseOf(completed).getPayload().toStringUtf8()).isEqualTo("init:init,a,1");
            assertThat(shim.connection.unexpectedMessages()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("unexpectedInCreated")
    void createdIgnoresEverythingButRegistered(final Type type) throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.manual(ECHO)) {
            shim.peer.send(message(type));
            awaitTrue(() -> shim.connection.unexpectedMessages() == 1, "warning for " + type);
            assertThat(shim.connection.state()).isEqualTo(ShimState.CREATED);
            // still able to complete the handshake and run a transaction
            shim.peer.send(message(Type.REGISTERED));
            shim.peer.send(message(Type.READY));
            awaitTrue(() -> shim.connection.state() == ShimState.READY, "READY");
            assertThat(shim.peer.execute(Type.TRANSACTION, "ch", "tx2", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
            assertNothingButRegisterAndResultOf(shim, "tx2");
        }
    }

    @ParameterizedTest
    @MethodSource("unexpectedInEstablished")
    void establishedIgnoresEverythingButReady(final Type type) throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.manual(ECHO)) {
            shim.peer.send(message(Type.REGISTERED));
            awaitTrue(() -> shim.connection.state() == ShimState.ESTABLISHED, "ESTABLISHED");
            shim.peer.send(message(type));
            awaitTrue(() -> shim.connection.unexpectedMessages() == 1, "warning for " + type);
            assertThat(shim.connection.state()).isEqualTo(ShimState.ESTABLISHED);
            shim.peer.send(message(Type.READY));
            awaitTrue(() -> shim.connection.state() == ShimState.READY, "READY");
            assertThat(shim.peer.execute(Type.TRANSACTION, "ch", "tx2", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
            assertNothingButRegisterAndResultOf(shim, "tx2");
        }
    }

    @ParameterizedTest
    @MethodSource("unexpectedInReady")
    void readyIgnoresMessagesOtherThanTransactionsAndAnswers(final Type type) throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.ready(ECHO)) {
            shim.peer.send(message(type));
            awaitTrue(() -> shim.connection.unexpectedMessages() == 1, "warning for " + type);
            assertThat(shim.connection.state()).isEqualTo(ShimState.READY);
            assertThat(shim.peer.execute(Type.TRANSACTION, "ch", "tx2", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
            assertNothingButRegisterAndResultOf(shim, "tx2");
        }
    }

    @Test
    void responseOrErrorWithNoWaitingRequestIsIgnored() throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.ready(ECHO)) {
            shim.peer.send(message(Type.RESPONSE));
            shim.peer.send(message(Type.ERROR));
            awaitTrue(() -> shim.connection.unexpectedMessages() == 2, "two warnings");
            assertThat(shim.connection.state()).isEqualTo(ShimState.READY);
        }
    }

    @Test
    void keepaliveIsIgnoredInEveryState() throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.manual(ECHO)) {
            shim.peer.send(message(Type.KEEPALIVE));
            shim.peer.send(message(Type.REGISTERED));
            awaitTrue(() -> shim.connection.state() == ShimState.ESTABLISHED, "ESTABLISHED");
            shim.peer.send(message(Type.KEEPALIVE));
            shim.peer.send(message(Type.READY));
            awaitTrue(() -> shim.connection.state() == ShimState.READY, "READY");
            shim.peer.send(message(Type.KEEPALIVE));
            assertThat(shim.peer.execute(Type.TRANSACTION, "ch", "tx2", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
            assertThat(shim.connection.unexpectedMessages()).isZero();
            assertNothingButRegisterAndResultOf(shim, "tx2");
        }
    }

    @Test
    void aFrameThatIsNotAChaincodeMessageIsDroppedWithAWarning() throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.ready(ECHO)) {
            final ScriptedPeer raw = shim.peer;
            rawSend(shim, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            awaitTrue(() -> shim.connection.unexpectedMessages() == 1, "warning for garbage");
            assertThat(raw.execute(Type.TRANSACTION, "ch", "tx2", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
        }
    }

    @Test
    void initRunsInitAndTransactionRunsInvoke() throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.ready(ECHO)) {
            final ChaincodeMessage init = shim.peer.execute(Type.INIT, "ch", "tx1", "a").get(10, TimeUnit.SECONDS);
            final ChaincodeMessage invoke = shim.peer.execute(Type.TRANSACTION, "ch", "tx2", "b")
                    .get(10, TimeUnit.SECONDS);
            assertThat(ScriptedPeer.responseOf(init).getPayload().toStringUtf8()).isEqualTo("init:a");
            assertThat(ScriptedPeer.responseOf(invoke).getPayload().toStringUtf8()).isEqualTo("invoke:b");
        }
    }

    @Test
    void sameTxidOnTwoChannelsRunsAsTwoExecutions() throws Exception {
        final CountDownLatch both = new CountDownLatch(2);
        final Chaincode meeting = new Chaincode() {
            @Override
            public Response init(final ChaincodeStub stub) {
                return Response.success();
            }

            @Override
            public Response invoke(final ChaincodeStub stub) {
                both.countDown();
                try {
                    // both executions are running at once; each reads through its own context
                    both.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Response.success(stub.getChannelId() + ":" + stub.getStringState("k"));
            }
        };
        try (InJvmChaincode shim = InJvmChaincode.ready(meeting)) {
            shim.peer.put("k", "v");
            final CompletableFuture<ChaincodeMessage> a = shim.peer.execute(Type.TRANSACTION, "ch1", "same", "f");
            final CompletableFuture<ChaincodeMessage> b = shim.peer.execute(Type.TRANSACTION, "ch2", "same", "f");
            assertThat(ScriptedPeer.responseOf(a.get(10, TimeUnit.SECONDS)).getPayload().toStringUtf8())
                    .isEqualTo("ch1:v");
            assertThat(ScriptedPeer.responseOf(b.get(10, TimeUnit.SECONDS)).getPayload().toStringUtf8())
                    .isEqualTo("ch2:v");
        }
    }

    @Test
    void aSecondExecutionOfARunningTxidIsDropped() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch started = new CountDownLatch(1);
        final Chaincode blocking = blockingUntil(release, started);
        try (InJvmChaincode shim = InJvmChaincode.ready(blocking)) {
            final CompletableFuture<ChaincodeMessage> first = shim.peer.execute(Type.TRANSACTION, "ch", "tx1", "f");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            shim.peer.send(ChaincodeMessage.newBuilder().setType(Type.TRANSACTION).setChannelId("ch").setTxid("tx1")
                    .build());
            awaitTrue(() -> shim.connection.unexpectedMessages() == 1, "duplicate dropped");
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).getType()).isEqualTo(Type.COMPLETED);
            // the txid may run again once its first execution has completed (a proposal sent again)
            assertThat(shim.peer.execute(Type.TRANSACTION, "ch", "tx1", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
        }
    }

    @Test
    void aFullWorkerPoolAnswersFailedToSubmitTaskForProcessing() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        try (InJvmChaincode shim = InJvmChaincode.ready(blockingUntil(release, new CountDownLatch(1)),
                b -> b.workerThreads(1).queueCapacity(1))) {
            final CompletableFuture<ChaincodeMessage> running = shim.peer.execute(Type.TRANSACTION, "ch", "t1", "f");
            final CompletableFuture<ChaincodeMessage> queued = shim.peer.execute(Type.TRANSACTION, "ch", "t2", "f");
            final ChaincodeMessage rejected = shim.peer.execute(Type.TRANSACTION, "ch", "t3", "f")
                    .get(10, TimeUnit.SECONDS);
            assertThat(rejected.getType()).isEqualTo(Type.ERROR);
            assertThat(rejected.getPayload().toStringUtf8()).isEqualTo("Failed to submit task for processing");
            assertThat(rejected.getTxid()).isEqualTo("t3");
            assertThat(rejected.getChannelId()).isEqualTo("ch");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).getType()).isEqualTo(Type.COMPLETED);
            assertThat(queued.get(10, TimeUnit.SECONDS).getType()).isEqualTo(Type.COMPLETED);
            // a rejected txid is forgotten: it can be executed again
            assertThat(shim.peer.execute(Type.TRANSACTION, "ch", "t3", "f").get(10, TimeUnit.SECONDS).getType())
                    .isEqualTo(Type.COMPLETED);
        }
    }

    @Test
    void withoutWaitingRoomABusyPoolAnswersFailedToSubmitTaskForProcessing() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        try (InJvmChaincode shim = InJvmChaincode.ready(blockingUntil(release, new CountDownLatch(1)),
                b -> b.workerThreads(1).queueCapacity(0))) {
            final CompletableFuture<ChaincodeMessage> running = shim.peer.execute(Type.TRANSACTION, "ch", "t1", "f");
            final ChaincodeMessage rejected = shim.peer.execute(Type.INIT, "ch", "t2", "f").get(10, TimeUnit.SECONDS);
            assertThat(rejected.getType()).isEqualTo(Type.ERROR);
            assertThat(rejected.getPayload().toStringUtf8()).isEqualTo("Failed to submit task for processing");
            assertThat(rejected.getTxid()).isEqualTo("t2");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS).getType()).isEqualTo(Type.COMPLETED);
        }
    }

    @Test
    void closingTheChannelFailsTheWaitingRequestAndEndsInClosed() throws Exception {
        final AtomicReference<Throwable> seen = new AtomicReference<>();
        final CountDownLatch failed = new CountDownLatch(1);
        final Chaincode reader = new Chaincode() {
            @Override
            public Response init(final ChaincodeStub stub) {
                return Response.success();
            }

            @Override
            public Response invoke(final ChaincodeStub stub) {
                try {
                    stub.getState("held");
                } catch (RuntimeException e) {
                    seen.set(e);
                    failed.countDown();
                }
                return Response.success();
            }
        };
        final InJvmChaincode shim = InJvmChaincode.ready(reader);
        try {
            shim.peer.holdGetState("held");
            shim.peer.execute(Type.TRANSACTION, "ch", "tx1", "f");
            awaitTrue(() -> shim.peer.receivedLog().stream().anyMatch(m -> m.getType() == Type.GET_STATE),
                    "GET_STATE sent");
            closePeerEnd(shim); // the peer side goes away
            assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.get()).isInstanceOf(PeerRequestException.class)
                    .hasMessageContaining("GET_STATE failed: chaincode stream terminated (REMOTE_CLOSE");
            assertThat(((PeerRequestException) seen.get()).requestType()).isEqualTo(Type.GET_STATE);
            final CloseReason reason = shim.connection.closeReason().get(10, TimeUnit.SECONDS);
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
            assertThat(shim.connection.state()).isEqualTo(ShimState.CLOSED);
        } finally {
            shim.close();
        }
    }

    private static Chaincode blockingUntil(final CountDownLatch release, final CountDownLatch started) {
        return new Chaincode() {
            @Override
            public Response init(final ChaincodeStub stub) {
                return Response.success();
            }

            @Override
            public Response invoke(final ChaincodeStub stub) {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Response.success();
            }
        };
    }

    private static void assertNothingButRegisterAndResultOf(final InJvmChaincode shim, final String txId) {
        shim.connection.close(); // waits for the workers: anything a wrong transition started has been sent
        final List<ChaincodeMessage> log = shim.peer.receivedLog();
        assertThat(log).extracting(ChaincodeMessage::getType).containsExactly(Type.REGISTER, Type.COMPLETED);
        assertThat(log.get(1).getTxid()).isEqualTo(txId);
    }

    private static void rawSend(final InJvmChaincode shim, final byte[] frame) {
        shim.peerEnd().send(frame);
    }

    private static void closePeerEnd(final InJvmChaincode shim) {
        shim.peerEnd().close();
    }
}
