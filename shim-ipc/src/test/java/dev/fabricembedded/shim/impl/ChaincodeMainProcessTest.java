package dev.fabricembedded.shim.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.CloseReason;
import dev.fabricembedded.ipc.chronicle.ChronicleChannel;
import dev.fabricembedded.shim.ChaincodeMain;
import dev.fabricembedded.shim.scripted.ChildJvm;
import dev.fabricembedded.shim.scripted.ScriptedPeer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChaincodeMain} in a child JVM, with this JVM as the peer on a real Chronicle channel: the exit status
 * says how the channel ended.
 */
class ChaincodeMainProcessTest {

    @TempDir
    Path base;

    private ChildJvm chaincodeMain(final Path dir, final String... extra) throws Exception {
        final List<String> args = new java.util.ArrayList<>(List.of("--id", "echo:1.0", "--channel-dir",
                dir.toString(), "--class", EchoChaincode.class.getName()));
        args.addAll(List.of(extra));
        return ChildJvm.start(base, ChaincodeMain.class.getName(), args);
    }

    @Test
    void servesThePeerAndExitsWithZeroWhenThePeerClosesTheChannel() throws Exception {
        final Path dir = base.resolve("orderly");
        final ScriptedPeer peer = ScriptedPeer.standard();
        final ChronicleChannel channel = ChronicleChannel.builder(dir).name("echo:1.0").create(peer);
        try (ChildJvm child = chaincodeMain(dir)) {
            peer.bind(channel);
            channel.watchProcess(child.process());
            assertThat(peer.registered().get(60, TimeUnit.SECONDS)).isEqualTo("echo:1.0");
            final ChaincodeMessage init = peer.execute(Type.INIT, "ch", "tx1", "a", "100").get(30, TimeUnit.SECONDS);
            assertThat(init.getType()).isEqualTo(Type.COMPLETED);
            assertThat(peer.get("a")).isEqualTo("100");
            final ChaincodeMessage get = peer.execute(Type.TRANSACTION, "ch", "tx2", "get", "a")
                    .get(30, TimeUnit.SECONDS);
            assertThat(ScriptedPeer.responseOf(get).getPayload().toStringUtf8()).isEqualTo("100");

            channel.close();

            assertThat(child.awaitExit(30)).as("exit status; output:\n%s", child.output()).isZero();
            assertThat(child.output()).contains("channel closed (REMOTE_CLOSE");
        } finally {
            channel.close();
        }
    }

    @Test
    void aChaincodeThatHaltsMidTransactionIsSeenAsAProcessExit() throws Exception {
        final Path dir = base.resolve("halt");
        final ScriptedPeer peer = ScriptedPeer.standard();
        try (ChronicleChannel channel = ChronicleChannel.builder(dir).name("echo:1.0").create(peer);
             ChildJvm child = chaincodeMain(dir)) {
            peer.bind(channel);
            channel.watchProcess(child.process());
            peer.registered().get(60, TimeUnit.SECONDS);
            final CompletableFuture<ChaincodeMessage> result = peer.execute(Type.TRANSACTION, "ch", "tx1", "exit",
                    "7");
            assertThat(child.awaitExit(30)).as("exit status; output:\n%s", child.output()).isEqualTo(7);
            final CloseReason reason = peer.closed().get(30, TimeUnit.SECONDS);
            assertThat(reason.kind()).isEqualTo(CloseReason.Kind.REMOTE_PROCESS_EXITED);
            assertThat(result).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withMessageContaining("chaincode stream terminated");
        }
    }

    @Test
    void exitsWithOneWhenThePeerProcessDisappears() throws Exception {
        final Path dir = base.resolve("lost");
        final ScriptedPeer peer = ScriptedPeer.standard();
        // the process the chaincode is told is its peer; killing it stands for the peer dying
        final Process stand = new ProcessBuilder("sleep", "600").start();
        try (ChronicleChannel channel = ChronicleChannel.builder(dir).name("echo:1.0").create(peer);
             ChildJvm child = chaincodeMain(dir, "--peer-pid", Long.toString(stand.pid()))) {
            peer.bind(channel);
            peer.registered().get(60, TimeUnit.SECONDS);
            stand.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertThat(child.awaitExit(30)).as("exit status; output:\n%s", child.output()).isEqualTo(1);
            assertThat(child.output()).contains("REMOTE_PROCESS_EXITED");
        } finally {
            stand.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
