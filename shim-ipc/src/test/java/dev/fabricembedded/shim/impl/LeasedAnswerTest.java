package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.PeerRequestException;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests whose answers the chaincode thread reads itself through the channel's inbound lease, over a real Chronicle
 * channel (both ends in this JVM, each with its own queues): the scripted peer on the creating end, the shim on the
 * attaching end.
 */
class LeasedAnswerTest {

    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path base;

    private ScriptedPeer peer;
    private ChronicleChannel peerEnd;
    private ChronicleChannel shimEnd;
    private ChaincodeConnection connection;

    private void connect(final Chaincode chaincode) throws Exception {
        connect(chaincode, WaitStrategy.spinYieldPark());
    }

    /** @param shimStrategy how the shim end's event loop idles */
    private void connect(final Chaincode chaincode, final WaitStrategy shimStrategy) throws Exception {
        final Path dir = base.resolve("channel");
        peer = ScriptedPeer.standard();
        peerEnd = ChronicleChannel.builder(dir).name("lease-peer").create(peer);
        peer.bind(peerEnd);
        connection = ChaincodeConnection.builder(chaincode, InJvmChaincode.CHAINCODE_ID).open(handler -> {
            shimEnd = ChronicleChannel.builder(dir).name("lease-cc").waitStrategy(shimStrategy)
                    .livenessTimeout(Duration.ofMinutes(10)).attach(handler);
            return shimEnd;
        });
        peer.registered().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        InJvmChaincode.awaitTrue(() -> connection.state() == ShimState.READY, "state READY");
    }

    @AfterEach
    void closeAll() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (peerEnd != null) {
            peerEnd.close();
        }
        InJvmChaincode.awaitTrue(() -> threadsNamed("lease-").isEmpty(), "no ipc thread left");
    }

    private static List<String> threadsNamed(final String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(part)).toList();
    }

    /** Reads the key named by the first parameter and answers with its value. */
    private static Chaincode reader() {
        return new FunctionChaincode(stub -> Response.success(stub.getState(stub.getParameters().get(0))));
    }

    private static String payloadOf(final CompletableFuture<ChaincodeMessage> result) throws Exception {
        final ChaincodeMessage completed = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(completed.getType()).as("%s", completed).isEqualTo(Type.COMPLETED);
        return ScriptedPeer.responseOf(completed).getPayload().toStringUtf8();
    }

    private void awaitGetStateReceived(final String channelId, final String txId) throws InterruptedException {
        InJvmChaincode.awaitTrue(() -> peer.receivedLog().stream().anyMatch(m -> m.getType() == Type.GET_STATE
                && m.getChannelId().equals(channelId) && m.getTxid().equals(txId)), "GET_STATE of " + txId);
    }

    @Test
    void theChaincodeThreadReadsItsAnswerItselfWhileTheEventLoopIsBusy() throws Exception {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch go = new CountDownLatch(1);
        connect(new FunctionChaincode(stub -> {
            started.countDown();
            try {
                go.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.success(stub.getState("a"));
        }));
        peer.put("a", "100");
        final CompletableFuture<ChaincodeMessage> result = peer.execute(Type.TRANSACTION, "ch", "tx1", "get");
        assertThat(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        // the shim's event-loop thread is held in a task: an answer handed over by it could not arrive
        final CountDownLatch loopHeld = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        shimEnd.execute(() -> {
            loopHeld.countDown();
            try {
                gate.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(loopHeld.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        try {
            go.countDown();
            assertThat(payloadOf(result)).isEqualTo("100");
            assertThat(gate.getCount()).as("the event loop was held all along").isEqualTo(1);
        } finally {
            gate.countDown();
        }
        assertThat(connection.unexpectedMessages()).isZero();
    }

    @Test
    void anotherTransactionsAnswerReadByTheLeaseHolderReachesItThroughTheEventLoop() throws Exception {
        connect(reader());
        peer.put("slow", "1").put("fast", "2").holdGetState("slow");
        final CompletableFuture<ChaincodeMessage> slow = peer.execute(Type.TRANSACTION, "ch", "tx-slow", "get", "slow");
        // tx-slow's thread took the lease before sending its request: it holds it while its answer is held
        awaitGetStateReceived("ch", "tx-slow");
        final CompletableFuture<ChaincodeMessage> fast = peer.execute(Type.TRANSACTION, "ch", "tx-fast", "get", "fast");
        assertThat(payloadOf(fast)).isEqualTo("2");
        assertThat(slow).isNotDone();
        peer.releaseHeld();
        assertThat(payloadOf(slow)).isEqualTo("1");
        // the same transaction id on another channel is another execution: its answers are not confused
        peer.holdGetState("slow");
        final CompletableFuture<ChaincodeMessage> otherChannel =
                peer.execute(Type.TRANSACTION, "other", "tx-slow", "get", "slow");
        awaitGetStateReceived("other", "tx-slow");
        final CompletableFuture<ChaincodeMessage> sameTxId = peer.execute(Type.TRANSACTION, "ch", "tx-slow", "get", "fast");
        assertThat(payloadOf(sameTxId)).isEqualTo("2");
        peer.releaseHeld();
        assertThat(payloadOf(otherChannel)).isEqualTo("1");
        assertThat(connection.unexpectedMessages()).isZero();
    }

    /**
     * The shim end's event loop parks for two minutes at a time once idle, and the worker's lease returns do not wake
     * it: each next TRANSACTION arrives within the bounded wait only because the finished invocation hurries the loop
     * after sending its result (it then yields for a long while, reading at full speed).
     */
    @Test
    void theNextTransactionIsReadPromptlyAfterAnInvocationThatWaitedThroughTheLease() throws Exception {
        connect(reader(), WaitStrategy.spinYieldPark(100, 1_000_000, Duration.ofMinutes(2), Duration.ofMinutes(2)));
        peer.put("a", "1").put("b", "2");
        for (int i = 0; i < 4; i++) {
            final String key = i % 2 == 0 ? "a" : "b";
            final CompletableFuture<ChaincodeMessage> result = peer.execute(Type.TRANSACTION, "ch", "tx" + i, "get", key);
            assertThat(payloadOf(result)).as("tx%d", i).isEqualTo(i % 2 == 0 ? "1" : "2");
            // the loop found the lease returned and is in its two-minute park phase, unless hurried
            Thread.sleep(50);
        }
        assertThat(connection.unexpectedMessages()).isZero();
    }

    @Test
    void manyRequestsInARowAreAnsweredAndAStrayAnswerIsStillReportedAsUnexpected() throws Exception {
        connect(new FunctionChaincode(stub -> {
            final StringBuilder values = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                values.append(stub.getStringState("k" + i % 3));
            }
            return Response.success(values.toString().getBytes(StandardCharsets.UTF_8));
        }));
        peer.put("k0", "a").put("k1", "b").put("k2", "c");
        assertThat(payloadOf(peer.execute(Type.TRANSACTION, "ch", "tx1", "many"))).isEqualTo("abc".repeat(66) + "ab");
        // an answer nobody waits for goes to the handler, which reports it as before
        peer.send(ChaincodeMessage.newBuilder().setType(Type.RESPONSE).setChannelId("ch").setTxid("tx1").build());
        InJvmChaincode.awaitTrue(() -> connection.unexpectedMessages() == 1, "the stray RESPONSE reported");
    }

    @Test
    void aRequestWaitingThroughTheLeaseFailsWithTheCloseReasonWhenThePeerCloses() throws Exception {
        final CompletableFuture<String> failure = new CompletableFuture<>();
        connect(new FunctionChaincode(stub -> {
            try {
                return Response.success(stub.getState("held"));
            } catch (PeerRequestException e) {
                failure.complete(e.getMessage());
                throw e;
            }
        }));
        peer.holdGetState("held");
        peer.execute(Type.TRANSACTION, "ch", "tx1", "get");
        awaitGetStateReceived("ch", "tx1");
        peerEnd.close();
        assertThat(failure.get(TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .contains("GET_STATE failed: chaincode stream terminated").contains("REMOTE_CLOSE");
        assertThat(connection.closeReason().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).kind())
                .isEqualTo(CloseReason.Kind.REMOTE_CLOSE);
    }
}
