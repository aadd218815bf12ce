package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DockerRuntime} with a real Docker daemon: the test chaincode in a container built from the locally built
 * base image, speaking Fabric's protocol over the bind-mounted Chronicle channel to {@link ScriptedPeer}. Skipped
 * when no daemon answers. The base image is kept (it is a cache); every chaincode image and container is removed.
 */
class DockerRuntimeTest {

    private static final long START = 120;
    private static final long WAIT = 30;

    private static DockerClient docker;
    private static String noDaemon;

    @TempDir
    Path base;

    @BeforeAll
    static void daemon() {
        final DockerClient client = DockerRuntime.defaultDockerClient();
        try {
            client.pingCmd().exec();
            docker = client;
        } catch (RuntimeException e) {
            close(client);
            noDaemon = "no Docker daemon answers (" + e.getMessage() + "): DockerRuntime test skipped; start dockerd"
                    + " (see .ci/run) to run it";
        }
    }

    @BeforeEach
    void requireDaemon() {
        Assumptions.assumeTrue(docker != null, noDaemon);
    }

    @AfterAll
    static void closeClient() {
        if (docker != null) {
            close(docker);
        }
    }

    private static void close(final DockerClient client) {
        try {
            client.close();
        } catch (java.io.IOException e) {
            // nothing to do
        }
    }

    @AfterEach
    void nothingLeft() {
        if (docker == null) {
            return;
        }
        assertThat(chaincodeContainers()).as("chaincode containers left behind").isEmpty();
        LeakCheck.threadsNamed("chaincode-", "ipc-", "docker-java").assertNothingLeft();
    }

    private static List<String> chaincodeContainers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(DockerRuntime.PEER_LABEL + "=" + ProcessHandle.current().pid()))
                .exec().stream().map(c -> c.getId()).toList();
    }

    private DockerRuntime runtime() {
        return DockerRuntime.builder().channelBaseDir(base.resolve("channels"))
                .stopGracePeriod(Duration.ofSeconds(2)).build();
    }

    @Test
    void aContainerRegistersRunsInitAndIsRemovedWhenStopped() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        final List<String> images;
        try (LogCapture log = LogCapture.start(); DockerRuntime runtime = runtime()) {
            final LaunchSpec spec = LaunchSpec.builder("mycc", "1.0").packageJar(jar).env("GREETING", "hello").build();
            final RunningChaincode cc = runtime.start(spec, peer);
            final String container = ((ContainerChaincode) cc).containerId();

            assertThat(peer.awaitReady(cc.channel(), START)).isEqualTo("mycc:1.0");
            final ChaincodeMessage init = peer.execute(Type.INIT, "tx1", "init", "a", "100", "b", "200")
                    .get(WAIT, TimeUnit.SECONDS);
            assertThat(init.getType()).isEqualTo(Type.COMPLETED);
            assertThat(peer.peer().get("a")).isEqualTo("100");
            assertThat(peer.peer().get("b")).isEqualTo("200");
            assertThat(peer.peer().receivedLog()).extracting(ChaincodeMessage::getType)
                    .containsSubsequence(Type.REGISTER, Type.PUT_STATE, Type.PUT_STATE, Type.COMPLETED);
            final ChaincodeMessage env = peer.execute(Type.TRANSACTION, "tx2", "env", "GREETING")
                    .get(WAIT, TimeUnit.SECONDS);
            assertThat(ScriptedPeer.responseOf(env).getPayload().toStringUtf8()).isEqualTo("hello");
            assertThat(log.await("chaincode mycc:1.0 | example02 init on stdout: a=100", Duration.ofSeconds(10)))
                    .as("the container's stdout in the log").isTrue();
            images = List.copyOf(runtime.builtImages());
            assertThat(images).hasSize(1).allMatch(i -> i.startsWith("fabric-embedded/cc-mycc-1-0:"));

            cc.stop();

            final ExitStatus status = cc.exit().get();
            assertThat(status.code()).isZero();
            assertThat(status.message()).isEqualTo("container exited with 0");
            assertThatThrownBy(() -> docker.inspectContainerCmd(container).exec())
                    .isInstanceOf(NotFoundException.class);
            assertThat(peer.peer().closed().get(WAIT, TimeUnit.SECONDS).kind())
                    .isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(LeakCheck.entries(base.resolve("channels"))).isEmpty();
            assertThat(runtime.running()).isEmpty();
        }
        for (final String image : images) {
            assertThatThrownBy(() -> docker.inspectImageCmd(image).exec()).isInstanceOf(NotFoundException.class);
        }
        assertThat(DockerBaseImage.exists(docker, DockerBaseImage.DEFAULT_NAME)).as("the cached base image").isTrue();
    }

    @Test
    void containersLeftByACrashedRunOnTheSameBaseDirectoryAreRemoved() throws Exception {
        final Path channels = base.resolve("channels");
        final Path other = base.resolve("elsewhere");
        try (DockerRuntime first = runtime()) {
            assertThat(first.running()).isEmpty();
        }
        final String stale = createIdle(channels.resolve("mycc-1.0-0badc0de"));
        final String foreign = createIdle(other.resolve("mycc-1.0-0badc0de"));
        try {
            try (DockerRuntime runtime = runtime()) {
                assertThat(runtime.channelBaseDir()).isEqualTo(channels);
                assertThatThrownBy(() -> docker.inspectContainerCmd(stale).exec()).isInstanceOf(NotFoundException.class);
                assertThat(docker.inspectContainerCmd(foreign).exec().getId()).isEqualTo(foreign);
            }
        } finally {
            docker.removeContainerCmd(foreign).withForce(true).exec();
        }
    }

    /** A container that is never started, labelled as a chaincode container of a peer whose channel was there. */
    private static String createIdle(final Path channelDir) {
        return docker.createContainerCmd(DockerBaseImage.DEFAULT_NAME)
                .withCmd(DockerBaseImage.JAVA, "-version")
                .withLabels(java.util.Map.of(DockerRuntime.CHANNEL_LABEL, channelDir.toString(),
                        DockerRuntime.PEER_LABEL, Long.toString(ProcessHandle.current().pid())))
                .exec().getId();
    }

    @Test
    void aContainerThatExitsMidTransactionClosesTheChannelAndCloseStopsTheOthers() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer dying = new ReadyPeer();
        final ReadyPeer other = new ReadyPeer();
        final RunningChaincode survivor;
        try (DockerRuntime runtime = runtime()) {
            final RunningChaincode cc = runtime.start(TestPackages.example02("mycc", "1.0", jar), dying);
            survivor = runtime.start(TestPackages.example02("mycc", "1.0", jar), other);
            assertThat(runtime.builtImages()).as("one image per package").hasSize(1);
            dying.awaitReady(cc.channel(), START);
            other.awaitReady(survivor.channel(), START);
            final CompletableFuture<ChaincodeMessage> pending = dying.execute(Type.TRANSACTION, "tx1", "exit", "7");

            final ExitStatus status = cc.exit().get(WAIT, TimeUnit.SECONDS);

            assertThat(status.code()).isEqualTo(7);
            assertThat(status.message()).isEqualTo("container exited with 7");
            final CloseReason reason = dying.peer().closed().get(WAIT, TimeUnit.SECONDS);
            assertThat(reason).isEqualTo(new CloseReason(CloseReason.Kind.REMOTE_PROCESS_EXITED,
                    "container exited with 7"));
            assertThat(pending).failsWithin(WAIT, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("chaincode stream terminated");
            assertThat(runtime.running()).containsExactly(survivor);
        }
        assertThat(survivor.exit()).isDone();
        assertThat(survivor.exit().get().message()).isEqualTo("container exited with 0");
        assertThat(LeakCheck.entries(base.resolve("channels"))).isEmpty();
    }
}
