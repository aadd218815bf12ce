package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.PutState;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link HandlerProtocolTest} again, over Chronicle channels whose peer end lends its inbound lease, with
 * executions that never give it back while they wait ({@link WaitStrategy#yielding()}): the frames of an execution's
 * own transaction are read and served on the executing thread, everything else (other txids, INVOKE_CHAINCODE,
 * keepalives) by the event-loop thread, and the answers, errors and rules must be the same. Plus the cases only this
 * path has: frames really served on the executing thread, and two executions on one chaincode, one holding the lease.
 */
class HandlerProtocolOverLeaseTest extends HandlerProtocolTest {

    @Override
    ScriptedRuntime newRuntime() {
        return ScriptedRuntime.overChronicle(dir.resolve("channels"));
    }

    @Override
    ChaincodeSupport.Builder configure(final ChaincodeSupport.Builder builder) {
        return builder.executionWaitStrategy(WaitStrategy.yielding());
    }

    @Test
    void theRequestsAndTheAnswerOfAnExecutionAreServedOnTheExecutingThread() throws Exception {
        final Execution tx = transaction("leased");
        final Handler handler = support.registry().handler("leased:1.0");
        assertThat(handler.executionsReadingOwnFrames()).isEqualTo(1);
        final long before = handler.framesServedByExecutingThreads();

        final ChaincodeMessage read = tx.cc.request(tx.message, Type.GET_STATE,
                GetState.newBuilder().setKey("k0").build().toByteString());
        assertThat(read.getType()).isEqualTo(Type.RESPONSE);
        assertThat(read.getTxid()).isEqualTo(tx.txId);
        assertThat(read.getPayload().toStringUtf8()).isEqualTo("committed");
        final ChaincodeMessage write = tx.cc.request(tx.message, Type.PUT_STATE, PutState.newBuilder().setKey("k1")
                .setValue(ByteString.copyFromUtf8("v1")).build().toByteString());
        assertThat(write.getType()).isEqualTo(Type.RESPONSE);
        final TxReadWriteSet results = tx.complete();

        assertThat(handler.framesServedByExecutingThreads() - before).as("GET_STATE, PUT_STATE, COMPLETED")
                .isEqualTo(3);
        assertThat(handler.executionsReadingOwnFrames()).isZero();
        assertThat(ChaincodeSupportProcessTest.kv(results, "leased").getWritesList())
                .extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8()).containsExactly("k1=v1");
    }

    @Test
    void twoExecutionsOnOneChaincodeBothCompleteWhileOneHoldsTheLease() throws Exception {
        final Execution first = transaction("twin");
        final Handler handler = support.registry().handler("twin:1.0");
        final long before = handler.framesServedByExecutingThreads();
        final String secondTxId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(secondTxId)) {
            final CompletableFuture<ChaincodeResult> second = async(context(CH, "twin", "1.0", secondTxId)
                    .simulator(simulator).build(), input("tx"));
            final ChaincodeMessage secondMessage = first.cc.next();
            assertThat(secondMessage.getType()).isEqualTo(Type.TRANSACTION);
            assertThat(secondMessage.getTxid()).isEqualTo(secondTxId);
            assertThat(handler.executionsInProgress()).isEqualTo(2);
            assertThat(handler.executionsReadingOwnFrames()).as("one lease at a time").isEqualTo(1);

            // interleaved: each execution's requests and answer, whoever reads them
            final Map<String, ChaincodeMessage> executions = new HashMap<>();
            executions.put("a", first.message);
            executions.put("b", secondMessage);
            for (final Map.Entry<String, ChaincodeMessage> e : executions.entrySet()) {
                first.cc.send(ScriptedChaincode.requestOf(e.getValue(), Type.PUT_STATE, PutState.newBuilder()
                        .setKey(e.getKey()).setValue(ByteString.copyFromUtf8(e.getValue().getTxid())).build()
                        .toByteString()));
            }
            final Map<String, Type> answers = new HashMap<>();
            answers.put(first.cc.next().getTxid(), Type.RESPONSE);
            answers.put(first.cc.next().getTxid(), Type.RESPONSE);
            assertThat(answers).containsOnlyKeys(first.txId, secondTxId);
            for (final ChaincodeMessage message : executions.values()) {
                final ChaincodeMessage read = first.cc.request(message, Type.GET_STATE,
                        GetState.newBuilder().setKey("k0").build().toByteString());
                assertThat(read.getTxid()).isEqualTo(message.getTxid());
                assertThat(read.getPayload().toStringUtf8()).isEqualTo("committed");
            }
            first.cc.complete(secondMessage, 200, "second");
            assertThat(second.get(20, TimeUnit.SECONDS).response().getPayload().toStringUtf8()).isEqualTo("second");
            assertThat(ChaincodeSupportProcessTest.kv(simulator.getTxSimulationResults(), "twin").getWritesList())
                    .extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8()).containsExactly("b=" + secondTxId);
        }
        final TxReadWriteSet firstResults = first.complete();
        assertThat(ChaincodeSupportProcessTest.kv(firstResults, "twin").getWritesList())
                .extracting(w -> w.getKey() + "=" + w.getValue().toStringUtf8()).containsExactly("a=" + first.txId);
        assertThat(handler.framesServedByExecutingThreads() - before)
                .as("the lease holder served its own PUT_STATE, GET_STATE and COMPLETED, the loop the other's")
                .isEqualTo(3);
        assertThat(handler.executionsReadingOwnFrames()).isZero();
    }
}
