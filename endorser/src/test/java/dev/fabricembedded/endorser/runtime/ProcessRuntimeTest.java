package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProcessRuntime} with real child JVMs running the shim's {@code ChaincodeMain} and a test chaincode loaded
 * from a package jar, against {@link ScriptedPeer}, the peer side of Fabric's chaincode protocol.
 */
class ProcessRuntimeTest {

    private static final Duration START = Duration.ofSeconds(60);
    private static final long WAIT = 30;

    @TempDir
    Path base;

    @AfterEach
    void nothingLeft() {
        LeakCheck.threadsNamed("chaincode-", "ipc-", "docker-java").assertNothingLeft();
    }

    private ProcessRuntime runtime() {
        return ProcessRuntime.builder().channelBaseDir(base.resolve("channels")).build();
    }

    private static String payload(final ChaincodeMessage completed) {
        return ScriptedPeer.responseOf(completed).getPayload().toStringUtf8();
    }

    @Test
    void aChaincodeProcessRegistersRunsInitAndItsOutputReachesTheLog() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        try (LogCapture log = LogCapture.start(); ProcessRuntime runtime = runtime()) {
            final LaunchSpec spec = LaunchSpec.builder("mycc", "1.0").packageJar(jar).env("GREETING", "hello").build();
            final RunningChaincode cc = runtime.start(spec, peer);

            assertThat(peer.awaitReady(cc.channel(), START.toSeconds())).isEqualTo("mycc:1.0");
            final ChaincodeMessage init = peer.execute(Type.INIT, "tx1", "init", "a", "100", "b", "200")
                    .get(WAIT, TimeUnit.SECONDS);
            assertThat(init.getType()).isEqualTo(Type.COMPLETED);
            assertThat(peer.peer().get("a")).isEqualTo("100");
            assertThat(peer.peer().get("b")).isEqualTo("200");
            assertThat(peer.peer().receivedLog()).extracting(ChaincodeMessage::getType)
                    .containsSubsequence(Type.REGISTER, Type.PUT_STATE, Type.PUT_STATE, Type.COMPLETED);
            assertThat(payload(peer.execute(Type.TRANSACTION, "tx2", "env", "GREETING").get(WAIT, TimeUnit.SECONDS)))
                    .isEqualTo("hello");
            assertThat(payload(peer.execute(Type.TRANSACTION, "tx3", "env", "CORE_CHAINCODE_ID_NAME")
                    .get(WAIT, TimeUnit.SECONDS))).isEqualTo("mycc:1.0");

            assertThat(log.await("chaincode mycc:1.0 | example02 init on stdout: a=100", Duration.ofSeconds(10)))
                    .as("stdout line in the log:\n%s", log.text()).isTrue();
            assertThat(log.await("chaincode mycc:1.0 | example02 init on stderr: b=200", Duration.ofSeconds(10)))
                    .as("stderr line in the log").isTrue();
            assertThat(runtime.running()).containsExactly(cc);
        }
    }

    @Test
    void theExamplesExample02PackageTransfersValue() throws Exception {
        final Path jar = TestPackages.examplesExample02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = runtime()) {
            final RunningChaincode cc = runtime.start(LaunchSpec.builder("example02", "1.0").packageJar(jar).build(),
                    peer);
            assertThat(peer.awaitReady(cc.channel(), START.toSeconds())).isEqualTo("example02:1.0");

            assertThat(peer.execute(Type.INIT, "tx1", "init", "a", "100", "b", "200").get(WAIT, TimeUnit.SECONDS)
                    .getType()).isEqualTo(Type.COMPLETED);
            assertThat(peer.execute(Type.TRANSACTION, "tx2", "invoke", "a", "b", "10").get(WAIT, TimeUnit.SECONDS)
                    .getType()).isEqualTo(Type.COMPLETED);
            assertThat(payload(peer.execute(Type.TRANSACTION, "tx3", "query", "a").get(WAIT, TimeUnit.SECONDS)))
                    .isEqualTo("90");
            assertThat(peer.peer().get("b")).isEqualTo("210");
        }
    }

    @Test
    void stopClosesTheChannelReapsTheProcessKillsItsDescendantsAndDeletesTheChannelDirectory() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = runtime()) {
            final RunningChaincode cc = runtime.start(TestPackages.example02("mycc", "1.0", jar), peer);
            peer.awaitReady(cc.channel(), START.toSeconds());
            final long grandchild = Long.parseLong(payload(peer.execute(Type.TRANSACTION, "tx1", "spawn")
                    .get(WAIT, TimeUnit.SECONDS)));
            final ProcessHandle child = ((ChildProcessChaincode) cc).process().toHandle();
            assertThat(child.descendants().map(ProcessHandle::pid)).contains(grandchild);
            final List<Path> channelDirs = LeakCheck.entries(base.resolve("channels"));
            assertThat(channelDirs).hasSize(1);

            cc.stop();

            assertThat(cc.exit()).isDone();
            final ExitStatus status = cc.exit().get();
            assertThat(status.code()).as("an orderly exit once the channel closed").isZero();
            assertThat(status.message()).isEqualTo("chaincode process " + child.pid() + " exited with 0");
            assertThat(LeakCheck.isGone(child.pid())).isTrue();
            assertThat(LeakCheck.isGone(grandchild)).as("the chaincode's own child process").isTrue();
            assertThat(channelDirs.get(0)).doesNotExist();
            assertThat(peer.peer().closed().get(WAIT, TimeUnit.SECONDS).kind()).isEqualTo(CloseReason.Kind.LOCAL_CLOSE);
            assertThat(cc.channel().isOpen()).isFalse();
            assertThat(runtime.running()).isEmpty();
            cc.stop(); // idempotent
        }
    }

    @Test
    void aChaincodeThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = ProcessRuntime.builder().channelBaseDir(base.resolve("channels"))
                .stopGracePeriod(Duration.ofMillis(500)).build()) {
            final RunningChaincode cc = runtime.start(TestPackages.example02("stubborn", "1.0", jar), peer);
            peer.awaitReady(cc.channel(), START.toSeconds());
            peer.execute(Type.TRANSACTION, "tx1", "hold-shutdown").get(WAIT, TimeUnit.SECONDS);

            cc.stop();

            final ExitStatus status = cc.exit().get();
            assertThat(status.code()).as("SIGKILL").isEqualTo(137);
            assertThat(status.message()).endsWith("exited with 137");
            assertThat(LeakCheck.isGone(((ChildProcessChaincode) cc).process().pid())).isTrue();
        }
    }

    @Test
    void aChaincodeThatExitsMidTransactionCompletesExitAndClosesTheChannelAsAProcessExit() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = runtime()) {
            final RunningChaincode cc = runtime.start(TestPackages.example02("mycc", "1.0", jar), peer);
            peer.awaitReady(cc.channel(), START.toSeconds());
            final CompletableFuture<ChaincodeMessage> pending = peer.execute(Type.TRANSACTION, "tx1", "exit", "7");

            final ExitStatus status = cc.exit().get(WAIT, TimeUnit.SECONDS);

            final long pid = ((ChildProcessChaincode) cc).process().pid();
            assertThat(status.code()).isEqualTo(7);
            assertThat(status.message()).isEqualTo("chaincode process " + pid + " exited with 7");
            final CloseReason reason = peer.peer().closed().get(WAIT, TimeUnit.SECONDS);
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_PROCESS_EXITED);
            assertThat(reason.message()).contains("process " + pid + " exited with status 7");
            assertThat(pending).failsWithin(WAIT, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("chaincode stream terminated");
            assertThat(LeakCheck.entries(base.resolve("channels"))).isEmpty();
            assertThat(runtime.running()).isEmpty();
            cc.stop(); // a no-op once ended
        }
    }

    @Test
    void aJarThatIsNotAJarEndsWithAClearExitStatus() throws Exception {
        final Path jar = Files.write(base.resolve("broken.jar"), "not a zip file".getBytes());
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = runtime()) {
            final RunningChaincode cc = runtime.start(TestPackages.example02("broken", "1.0", jar), peer);

            final ExitStatus status = cc.exit().get(START.toSeconds(), TimeUnit.SECONDS);

            assertThat(status.code()).as("ChaincodeMain's status for a bad chaincode").isEqualTo(2);
            assertThat(status.message()).matches("chaincode process \\d+ exited with 2");
            assertThat(String.join("\n", status.lastOutput()))
                    .contains("chaincode broken:1.0 not started: cannot read package jar " + jar);
            assertThat(peer.peer().registered()).isNotDone();
            assertThat(peer.peer().closed().get(WAIT, TimeUnit.SECONDS).kind())
                    .isEqualTo(CloseReason.Kind.REMOTE_PROCESS_EXITED);
            assertThat(LeakCheck.entries(base.resolve("channels"))).isEmpty();
        }
    }

    @Test
    void aMissingChaincodeClassEndsWithAClearExitStatus() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = runtime()) {
            final LaunchSpec spec = LaunchSpec.builder("mycc", "1.0").packageJar(jar)
                    .chaincodeClass("com.example.NoSuchChaincode").build();
            final RunningChaincode cc = runtime.start(spec, peer);

            final ExitStatus status = cc.exit().get(START.toSeconds(), TimeUnit.SECONDS);

            assertThat(status.code()).isEqualTo(2);
            assertThat(String.join("\n", status.lastOutput()))
                    .contains("chaincode class com.example.NoSuchChaincode not found");
        }
    }

    @Test
    void aMissingPackageJarIsAStartErrorAndLeavesNothingBehind() {
        final ReadyPeer peer = new ReadyPeer();
        try (ProcessRuntime runtime = runtime()) {
            final Path missing = base.resolve("nowhere.jar");
            assertThatThrownBy(() -> runtime.start(TestPackages.example02("mycc", "1.0", missing), peer))
                    .isInstanceOf(ChaincodeStartException.class)
                    .hasMessage("cannot start chaincode mycc:1.0: package jar " + missing + " does not exist");
            assertThatThrownBy(() -> runtime.start(LaunchSpec.builder("mycc", "1.0").build(), peer))
                    .isInstanceOf(ChaincodeStartException.class)
                    .hasMessage("cannot start chaincode mycc:1.0: it has no package jar");
            assertThat(runtime.running()).isEmpty();
        }
        assertThat(base.resolve("channels")).isEmptyDirectory();
    }

    @Test
    void closingTheRuntimeStopsEveryChaincodeAndDeletesItsTemporaryDirectory() throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final ReadyPeer first = new ReadyPeer();
        final ReadyPeer second = new ReadyPeer();
        final ProcessRuntime runtime = ProcessRuntime.builder().build();
        final Path channels = runtime.channelBaseDir();
        final RunningChaincode a;
        final RunningChaincode b;
        try {
            a = runtime.start(TestPackages.example02("first", "1.0", jar), first);
            b = runtime.start(TestPackages.example02("second", "2.0", jar), second);
            assertThat(first.awaitReady(a.channel(), START.toSeconds())).isEqualTo("first:1.0");
            assertThat(second.awaitReady(b.channel(), START.toSeconds())).isEqualTo("second:2.0");
            assertThat(LeakCheck.entries(channels)).hasSize(2);
        } finally {
            runtime.close();
        }

        assertThat(a.exit()).isDone();
        assertThat(b.exit()).isDone();
        assertThat(LeakCheck.isGone(((ChildProcessChaincode) a).process().pid())).isTrue();
        assertThat(LeakCheck.isGone(((ChildProcessChaincode) b).process().pid())).isTrue();
        assertThat(channels).doesNotExist();
        assertThatThrownBy(() -> runtime.start(TestPackages.example02("third", "1.0", jar), new ReadyPeer()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the process runtime is closed");
        runtime.close(); // idempotent
    }
}
