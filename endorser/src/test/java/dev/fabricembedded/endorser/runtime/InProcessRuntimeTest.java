package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.endorser.runtime.testchaincode.Example02Chaincode;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InProcessRuntime}: registered chaincode objects speaking the real protocol to {@link ScriptedPeer}. */
class InProcessRuntimeTest {

    private static final long WAIT = 30;

    @AfterEach
    void nothingLeft() {
        LeakCheck.threadsNamed("chaincode-", "ipc-", "docker-java").assertNothingLeft();
    }

    @Test
    void aRegisteredChaincodeRegistersRunsInitAndInvokeAndStops() throws Exception {
        final ReadyPeer peer = new ReadyPeer();
        try (InProcessRuntime runtime = InProcessRuntime.builder().build()
                .register("mycc", "1.0", new Example02Chaincode())) {
            assertThat(runtime.isRegistered("mycc", "1.0")).isTrue();
            assertThat(runtime.isRegistered("mycc", "2.0")).isFalse();
            final RunningChaincode cc = runtime.start(LaunchSpec.builder("mycc", "1.0").build(), peer);

            assertThat(peer.awaitReady(cc.channel(), WAIT)).isEqualTo("mycc:1.0");
            final ChaincodeMessage init = peer.execute(Type.INIT, "tx1", "init", "a", "100", "b", "200")
                    .get(WAIT, TimeUnit.SECONDS);
            assertThat(init.getType()).isEqualTo(Type.COMPLETED);
            peer.execute(Type.TRANSACTION, "tx2", "invoke", "a", "b", "10").get(WAIT, TimeUnit.SECONDS);
            assertThat(peer.peer().get("a")).isEqualTo("90");
            assertThat(peer.peer().get("b")).isEqualTo("210");
            assertThat(peer.peer().receivedLog()).extracting(ChaincodeMessage::getType)
                    .containsSubsequence(Type.REGISTER, Type.PUT_STATE, Type.PUT_STATE, Type.COMPLETED,
                            Type.GET_STATE, Type.GET_STATE, Type.PUT_STATE, Type.PUT_STATE, Type.COMPLETED);
            assertThat(runtime.running()).containsExactly(cc);

            cc.stop();

            assertThat(cc.exit()).isDone();
            assertThat(cc.exit().get().code()).isZero();
            assertThat(cc.exit().get().message()).startsWith("in-process chaincode mycc:1.0 ended: REMOTE_CLOSE");
            assertThat(peer.peer().closed().get(WAIT, TimeUnit.SECONDS).kind())
                    .isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(runtime.running()).isEmpty();
        }
    }

    @Test
    void aChaincodeWhoseChannelThePeerClosesEndsByItself() throws Exception {
        final ReadyPeer peer = new ReadyPeer();
        try (InProcessRuntime runtime = InProcessRuntime.builder().build()
                .register("mycc", "1.0", new Example02Chaincode())) {
            final RunningChaincode cc = runtime.start(LaunchSpec.builder("mycc", "1.0").build(), peer);
            peer.awaitReady(cc.channel(), WAIT);

            cc.channel().close();

            assertThat(cc.exit().get(WAIT, TimeUnit.SECONDS).code()).isZero();
            assertThat(runtime.running()).isEmpty();
        }
    }

    @Test
    void closingTheRuntimeStopsEveryChaincodeStartedTwice() throws Exception {
        final ReadyPeer first = new ReadyPeer();
        final ReadyPeer second = new ReadyPeer();
        final InProcessRuntime runtime = InProcessRuntime.builder()
                .connectionSettings(connection -> connection.workerThreads(1)).build()
                .register("mycc", "1.0", new Example02Chaincode());
        final RunningChaincode a;
        final RunningChaincode b;
        try {
            a = runtime.start(LaunchSpec.builder("mycc", "1.0").build(), first);
            b = runtime.start(LaunchSpec.builder("mycc", "1.0").build(), second);
            first.awaitReady(a.channel(), WAIT);
            second.awaitReady(b.channel(), WAIT);
            first.execute(Type.INIT, "tx1", "init", "a", "1", "b", "2").get(WAIT, TimeUnit.SECONDS);
            second.execute(Type.INIT, "tx1", "init", "a", "3", "b", "4").get(WAIT, TimeUnit.SECONDS);
            assertThat(first.peer().get("a")).isEqualTo("1");
            assertThat(second.peer().get("a")).isEqualTo("3");
            assertThat(runtime.running()).containsExactlyInAnyOrder(a, b);
        } finally {
            runtime.close();
        }

        assertThat(a.exit()).isDone();
        assertThat(b.exit()).isDone();
        assertThat(a.channel().isOpen()).isFalse();
        assertThatThrownBy(() -> runtime.start(LaunchSpec.builder("mycc", "1.0").build(), new ReadyPeer()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the in-process runtime is closed");
    }

    @Test
    void unknownAndDuplicateRegistrationsAreRefused() {
        try (InProcessRuntime runtime = InProcessRuntime.builder().build()
                .register("lscc", "1.4.0", new Example02Chaincode())) {
            assertThatThrownBy(() -> runtime.start(LaunchSpec.builder("lscc", "1.4.1").build(), new ReadyPeer()))
                    .isInstanceOf(ChaincodeStartException.class)
                    .hasMessage("cannot start chaincode lscc:1.4.1: no in-process chaincode is registered under that"
                            + " name and version");
            assertThatThrownBy(() -> runtime.register("lscc", "1.4.0", new Example02Chaincode()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("an in-process chaincode is already registered as lscc:1.4.0");
            assertThatThrownBy(() -> runtime.register("my cc", "1.0", new Example02Chaincode()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid chaincode name 'my cc'");
            assertThat(runtime.running()).isEmpty();
        }
    }
}
