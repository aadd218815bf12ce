package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.scripted.InJvmChaincode;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.junit.jupiter.api.Test;

/** How an invocation's outcome becomes COMPLETED or ERROR: Fabric's Java shim rules (§3.6). */
class ChaincodeCompletionTest {

    private static ChaincodeMessage run(final FunctionChaincode chaincode, final Type type) throws Exception {
        try (InJvmChaincode shim = InJvmChaincode.ready(chaincode)) {
            return shim.peer.execute(type, "ch", "tx1", "f").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void statusBelow500IsCompletedWithTheWholeResponse() throws Exception {
        for (final Type type : new Type[] {Type.INIT, Type.TRANSACTION}) {
            for (final int status : new int[] {200, 400, 404, 499}) {
                final ChaincodeMessage result = run(new FunctionChaincode(
                        stub -> Response.of(status, "msg" + status, "payload".getBytes())), type);
                assertThat(result.getType()).isEqualTo(Type.COMPLETED);
                final var response = ScriptedPeer.responseOf(result);
                assertThat(response.getStatus()).isEqualTo(status);
                assertThat(response.getMessage()).isEqualTo("msg" + status);
                assertThat(response.getPayload().toStringUtf8()).isEqualTo("payload");
            }
        }
    }

    @Test
    void status500OrMoreIsErrorCarryingTheMessageAndTheEvent() throws Exception {
        for (final Type type : new Type[] {Type.INIT, Type.TRANSACTION}) {
            for (final int status : new int[] {500, 503}) {
                final ChaincodeMessage result = run(new FunctionChaincode(stub -> {
                    stub.setEvent("failed", "why".getBytes());
                    return Response.of(status, "it broke", "ignored".getBytes());
                }), type);
                assertThat(result.getType()).isEqualTo(Type.ERROR);
                assertThat(result.getPayload().toStringUtf8()).isEqualTo("it broke");
                assertThat(result.getTxid()).isEqualTo("tx1");
                assertThat(result.getChannelId()).isEqualTo("ch");
                assertThat(result.getChaincodeEvent().getEventName()).isEqualTo("failed");
                assertThat(result.getChaincodeEvent().getPayload().toStringUtf8()).isEqualTo("why");
            }
        }
    }

    @Test
    void withTheGoShimConventionAFailedInvokeIsCompletedAndAFailedInitIsStillAnError() throws Exception {
        final FunctionChaincode failing = new FunctionChaincode(stub -> Response.of(500, "lscc says no", null));
        try (InJvmChaincode shim = InJvmChaincode.ready(failing, b -> b.completeFailedInvokes(true))) {
            final ChaincodeMessage invoke = shim.peer.execute(Type.TRANSACTION, "ch", "tx1", "f")
                    .get(10, TimeUnit.SECONDS);
            assertThat(invoke.getType()).isEqualTo(Type.COMPLETED);
            assertThat(ScriptedPeer.responseOf(invoke).getStatus()).isEqualTo(500);
            assertThat(ScriptedPeer.responseOf(invoke).getMessage()).isEqualTo("lscc says no");
            final ChaincodeMessage init = shim.peer.execute(Type.INIT, "ch", "tx2", "f").get(10, TimeUnit.SECONDS);
            assertThat(init.getType()).isEqualTo(Type.ERROR);
            assertThat(init.getPayload().toStringUtf8()).isEqualTo("lscc says no");
        }
    }

    @Test
    void completedCarriesTheEvent() throws Exception {
        final ChaincodeMessage result = run(new FunctionChaincode(stub -> {
            stub.setEvent("first", null);
            stub.setEvent("moved", "a->b".getBytes());
            return Response.success();
        }), Type.TRANSACTION);
        assertThat(result.getType()).isEqualTo(Type.COMPLETED);
        assertThat(result.getChaincodeEvent().getEventName()).isEqualTo("moved");
        assertThat(result.getChaincodeEvent().getPayload().toStringUtf8()).isEqualTo("a->b");
    }

    @Test
    void noEventMeansNoEventField() throws Exception {
        final ChaincodeMessage result = run(new FunctionChaincode(stub -> Response.success()), Type.TRANSACTION);
        assertThat(result.hasChaincodeEvent()).isFalse();
    }

    @Test
    void anExceptionIsErrorWithTheStackTrace() throws Exception {
        final ChaincodeMessage result = run(new FunctionChaincode(stub -> {
            throw new IllegalStateException("asset a is locked");
        }), Type.TRANSACTION);
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        assertThat(result.getPayload().toStringUtf8())
                .startsWith("java.lang.IllegalStateException: asset a is locked")
                .contains("\tat dev.fabricembedded.shim.impl.ChaincodeCompletionTest");
        assertThat(result.getTxid()).isEqualTo("tx1");
    }

    @Test
    void anErrorThrownByTheChaincodeIsAnsweredToo() throws Exception {
        final ChaincodeMessage result = run(new FunctionChaincode(stub -> {
            throw new AssertionError("invariant broken");
        }), Type.TRANSACTION);
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        assertThat(result.getPayload().toStringUtf8()).startsWith("java.lang.AssertionError: invariant broken");
    }

    @Test
    void aNullResponseIsAnError() throws Exception {
        final ChaincodeMessage result = run(new FunctionChaincode(stub -> null), Type.INIT);
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        assertThat(result.getPayload().toStringUtf8()).contains("returned no Response from init");
    }

    @Test
    void aMalformedInputIsAnErrorBeforeTheChaincodeRuns() throws Exception {
        final boolean[] ran = new boolean[1];
        try (InJvmChaincode shim = InJvmChaincode.ready(new FunctionChaincode(stub -> {
            ran[0] = true;
            return Response.success();
        }))) {
            shim.peer.send(ChaincodeMessage.newBuilder().setType(Type.TRANSACTION).setChannelId("ch").setTxid("bad")
                    .setPayload(ByteString.copyFrom(new byte[] {(byte) 0xFF, (byte) 0xFF})).build());
            ChaincodeMessage result;
            do {
                result = shim.peer.next(InJvmChaincode.TIMEOUT);
            } while (result.getType() == Type.REGISTER);
            assertThat(result.getType()).isEqualTo(Type.ERROR);
            assertThat(result.getTxid()).isEqualTo("bad");
            assertThat(result.getPayload().toStringUtf8()).startsWith("com.google.protobuf.InvalidProtocolBufferException");
        }
        assertThat(ran[0]).isFalse();
    }

    @Test
    void aResultTooLargeForAFrameIsReportedAsAnError() throws Exception {
        final byte[] huge = new byte[17 * 1024 * 1024];
        final ChaincodeMessage result = run(new FunctionChaincode(stub -> Response.success(huge)), Type.TRANSACTION);
        assertThat(result.getType()).isEqualTo(Type.ERROR);
        assertThat(result.getPayload().toStringUtf8())
                .startsWith("the chaincode's result could not be sent: frame of ")
                .contains("exceeds the maximum frame size");
    }
}
