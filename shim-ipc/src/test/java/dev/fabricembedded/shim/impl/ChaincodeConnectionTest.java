package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.scripted.InJvmChaincode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.Test;

/** Lifecycle of a {@link ChaincodeConnection}: threads, close, and a connector that fails. */
class ChaincodeConnectionTest {

    private static List<String> threadsNamed(final String part) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(part)).toList();
    }

    @Test
    void closeInterruptsAHangingChaincodeAndLeavesNoThreadBehind() throws Exception {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch interrupted = new CountDownLatch(1);
        final InJvmChaincode shim = InJvmChaincode.ready(new FunctionChaincode(stub -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return Response.success();
        }), b -> b.shutdownTimeout(Duration.ofSeconds(10)));
        shim.peer.execute(Type.TRANSACTION, "ch", "hang", "f");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(threadsNamed("chaincode-mycc:1.0-worker-")).hasSize(1);

        shim.close();

        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(shim.connection.closeReason().get(10, TimeUnit.SECONDS).kind())
                .isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
        assertThat(shim.connection.state()).isEqualTo(ShimState.CLOSED);
        InJvmChaincode.awaitTrue(() -> threadsNamed("mycc:1.0").isEmpty(), "no chaincode or ipc thread left");
    }

    @Test
    void closeIsIdempotent() throws Exception {
        final InJvmChaincode shim = InJvmChaincode.ready(new FunctionChaincode(stub -> Response.success()));
        shim.close();
        shim.close();
        assertThat(shim.connection.closeReason()).isCompleted();
    }

    @Test
    void aFailingConnectorLeavesNothingRunning() {
        assertThatThrownBy(() -> ChaincodeConnection.builder(new FunctionChaincode(stub -> Response.success()),
                "broken:1.0").open(handler -> {
                    throw new IllegalStateException("no channel directory");
                })).isInstanceOf(IllegalStateException.class).hasMessage("no channel directory");
        assertThat(threadsNamed("broken:1.0")).isEmpty();
    }

    @Test
    void builderRejectsNonsense() {
        final FunctionChaincode cc = new FunctionChaincode(stub -> Response.success());
        assertThatThrownBy(() -> ChaincodeConnection.builder(cc, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name:version");
        assertThatThrownBy(() -> ChaincodeConnection.builder(cc, "a:1").workerThreads(0))
                .hasMessageContaining("workerThreads must be at least 1");
        assertThatThrownBy(() -> ChaincodeConnection.builder(cc, "a:1").queueCapacity(-1))
                .hasMessageContaining("queueCapacity must not be negative");
        assertThatThrownBy(() -> ChaincodeConnection.builder(cc, "a:1").workerIdleSpin(Duration.ofNanos(-1)))
                .hasMessageContaining("workerIdleSpin must not be negative");
        final FrameChannel none = null;
        assertThatThrownBy(() -> ChaincodeConnection.builder(cc, "a:1").open(h -> none))
                .isInstanceOf(NullPointerException.class).hasMessage("connector returned no channel");
    }
}
