package dev.fabricembedded.endorser.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.shim.scripted.ChildJvm;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaincode processes never outlive their peer: a peer JVM ({@link PeerProcess}) that exits without closing its
 * runtime has them killed by the runtime's shutdown hook; one killed with SIGKILL (no hook runs) has them exit on
 * their own, since each watches the peer's pid. The channel directories they leave are cleaned by the next runtime
 * on the same base directory.
 */
class PeerDeathTest {

    private static final Pattern READY = Pattern.compile("chaincode pid (\\d+) ready");

    @TempDir
    Path base;

    @AfterEach
    void nothingLeft() {
        LeakCheck.threadsNamed("chaincode-", "ipc-", "docker-java").assertNothingLeft();
    }

    private static long awaitChaincodePid(final ChildJvm peer) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            final Matcher matcher = READY.matcher(peer.output());
            if (matcher.find()) {
                return Long.parseLong(matcher.group(1));
            }
            if (!peer.process().isAlive()) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new AssertionError("the peer process did not start its chaincode; output:\n" + peer.output());
    }

    private static boolean awaitGone(final long pid) {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!LeakCheck.isGone(pid) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return LeakCheck.isGone(pid);
    }

    private void peerDies(final String mode) throws Exception {
        final Path jar = TestPackages.example02Jar(base);
        final Path channels = base.resolve("channels");
        try (ChildJvm peer = ChildJvm.start(base, PeerProcess.class.getName(),
                List.of(mode, jar.toString(), channels.toString()))) {
            final long chaincode = awaitChaincodePid(peer);
            if (mode.equals("wait")) {
                assertThat(LeakCheck.isGone(chaincode)).isFalse();
                peer.process().destroyForcibly();
            }
            peer.awaitExit(30);

            assertThat(awaitGone(chaincode)).as("chaincode process %d after its peer died; peer output:\n%s",
                    chaincode, peer.output()).isTrue();
            if (mode.equals("exit")) {
                assertThat(peer.output()).contains("JVM shutting down: killing chaincode mycc:1.0 (process "
                        + chaincode + ")");
            }
        }
        assertThat(LeakCheck.entries(channels)).as("the dead peer's channel directory").hasSize(1);
        try (ProcessRuntime next = ProcessRuntime.builder().channelBaseDir(channels).build()) {
            assertThat(next.channelBaseDir()).isEqualTo(channels);
            assertThat(LeakCheck.entries(channels)).as("cleaned by the next runtime").isEmpty();
        }
    }

    @Test
    void aPeerThatExitsWithoutClosingItsRuntimeTakesItsChaincodesWithIt() throws Exception {
        peerDies("exit");
    }

    @Test
    void chaincodesOfAPeerKilledWithSigkillExitOnTheirOwn() throws Exception {
        peerDies("wait");
    }
}
