package dev.fabricembedded.peer;

import dev.fabricembedded.gateway.Contract;
import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.msp.devca.NodeRole;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.fabricembedded.peer.TestNetwork.ORDERER_ORG;
import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static org.assertj.core.api.Assertions.assertThat;

/** A peer process killed with SIGKILL while it submits and commits: reopening the directory restores everything. */
class PeerCrashTest {

    @Test
    void aPeerKilledWhileCommittingRecoversAndCatchesUpOnReopen(@TempDir final Path root) throws Exception {
        try (TestNetwork network = TestNetwork.create(root, ORG1);
             Gateway admin = network.gateway(ORG1.signer(NodeRole.ADMIN))) {
            admin.install(ExampleJars.jar("kv"), "kv", "1.0");
            admin.network(TestNetwork.CHANNEL).instantiate("kv", "1.0", List.of("init"), null);
        }
        final Path crypto = root.resolve("crypto");
        ORG1.writeTo(crypto.resolve("org1"));
        ORDERER_ORG.writeTo(crypto.resolve("orderer"));

        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Dpauser"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), CrashingPeer.class.getName(),
                root.toString(), crypto.toString()));
        final Process child = new ProcessBuilder(command)
                .redirectError(root.resolve("crashing-peer.log").toFile())
                .start();
        final List<String> committed = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (committed.size() < 5 && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    committed.add(line.substring("committed ".length()));
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL, in the middle of the next submit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(committed).as("see " + root.resolve("crashing-peer.log")).hasSize(5);
        awaitNoProcessUnder(root); // the killed peer's chaincode notices its peer is gone and exits

        try (TestNetwork reopened = TestNetwork.reopen(root, ORG1);
             Gateway client = reopened.gateway(ORG1.signer(NodeRole.CLIENT))) {
            final PeerChannel channel = reopened.peer(0).channel(TestNetwork.CHANNEL).orElseThrow();
            for (final String txId : committed) {
                assertThat(channel.transactionStatus(txId).get(30, TimeUnit.SECONDS).code())
                        .isEqualTo(TxValidationCode.VALID);
            }
            final long ordered = reopened.orderer().height(TestNetwork.CHANNEL);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (channel.height() < ordered && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(channel.height()).as("caught up with the orderer").isEqualTo(ordered);
            final Contract kv = client.network(TestNetwork.CHANNEL).contract("kv");
            assertThat(new String(kv.evaluate("get", "crash-4"), StandardCharsets.UTF_8)).isEqualTo("v4");
            assertThat(kv.submitTransaction("put", "after-crash", "ok").code()).isEqualTo(TxValidationCode.VALID);
        }
    }

    private static void awaitNoProcessUnder(final Path root) {
        final String marker = root.toString();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !processesUnder(marker).isEmpty()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(processesUnder(marker)).as("processes of the killed peer").isEmpty();
    }

    private static List<ProcessHandle> processesUnder(final String marker) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
    }
}
