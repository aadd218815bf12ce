package dev.fabricembedded.ledger;

import dev.fabricembedded.ledger.block.TxValidationFlags;
import dev.fabricembedded.ledger.state.VersionedKV;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Kills a committing child JVM with SIGKILL at random moments, again and again, and checks after each kill that
 * the ledger reopens within seconds, holds every block the child reported as committed, and has exactly the state
 * and history a from-scratch replay of its block store produces.
 */
class CrashRecoveryTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final int KILLS = 12;

    @TempDir
    Path temp;

    @Test
    void theLedgerSurvivesRepeatedKillMinus9() throws Exception {
        final Path dir = temp.resolve("ledger");
        final long seed = System.nanoTime();
        LOG.info("crash test seed {}", seed);
        final Random random = new Random(seed);
        long reported = -1;
        for (int round = 0; round < KILLS; round++) {
            final AtomicLong lastReported = new AtomicLong(-1);
            final CountDownLatch committing = new CountDownLatch(1);
            final Process child = startChild(dir, seed + round, temp.resolve("child-" + round + ".log"));
            final Thread reader = readReports(child, lastReported, committing);
            try {
                assertThat(committing.await(90, TimeUnit.SECONDS)).as("child started committing").isTrue();
                if (round == 0) {
                    assertThatThrownBy(() -> Ledgers.small(dir).open()).isInstanceOf(LedgerInUseException.class)
                            .hasMessageContaining("pid " + child.pid());
                }
                Thread.sleep(random.nextInt(400));
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("child reaped").isTrue();
            } finally {
                if (child.isAlive()) {
                    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
                reader.join(10_000);
            }
            reported = Math.max(reported, lastReported.get());
            final long mustHave = reported;

            final long started = System.nanoTime();
            final ChannelLedger ledger = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> Ledgers.small(dir).open(), "reopening after kill -9 must take seconds, not minutes");
            final long reopenMillis = (System.nanoTime() - started) / 1_000_000;
            try {
                LOG.info("round {}: killed after block {}, reopened at height {} in {} ms", round, mustHave,
                        ledger.height(), reopenMillis);
                assertThat(ledger.height()).as("every reported block is present").isGreaterThan(mustHave);
                for (long n = 0; n <= mustHave; n++) {
                    assertThat(ledger.blockStore().blockByNumber(n)).isPresent();
                }
                assertEqualsReplay(ledger, temp.resolve("replay-" + round));
            } finally {
                ledger.close();
            }
        }
        assertThat(reported).as("every child committed at least one block").isGreaterThanOrEqualTo(KILLS - 1);
    }

    /** Replays the ledger's block store into a fresh ledger and compares codes, state and history. */
    private static void assertEqualsReplay(final ChannelLedger ledger, final Path replayDir) {
        try (ChannelLedger replay = Ledgers.small(replayDir).open()) {
            for (long n = 0; n < ledger.height(); n++) {
                final Block stored = ledger.blockStore().blockByNumber(n).orElseThrow();
                final CommitResult result = replay.commit(stored);
                assertThat(result.flags()).as("codes of block %d", n).isEqualTo(TxValidationFlags.fromBlock(stored));
            }
            for (String ns : CrashTestChild.NAMESPACES) {
                assertThat(dump(ledger, ns)).as("state of %s", ns).isEqualTo(dump(replay, ns));
                for (int k = 0; k < 10; k++) {
                    assertThat(history(ledger, ns, "k" + k)).as("history of %s/k%d", ns, k)
                            .isEqualTo(history(replay, ns, "k" + k));
                }
            }
        }
    }

    private static List<String> dump(final ChannelLedger ledger, final String ns) {
        final List<String> entries = new ArrayList<>();
        ((KvLedger) ledger).worldState().range(ns, "", "").forEachRemaining((VersionedKV kv) -> entries.add(
                kv.key() + "=" + HexFormat.of().formatHex(kv.value().value()) + "/"
                        + HexFormat.of().formatHex(kv.value().metadata()) + "@" + kv.value().version()));
        return entries;
    }

    private static List<String> history(final ChannelLedger ledger, final String ns, final String key) {
        final List<String> modifications = new ArrayList<>();
        try (ResultsIterator<KeyModification> it = ledger.newHistoryQueryExecutor().getHistoryForKey(ns, key)) {
            it.forEachRemaining(m -> modifications.add(m.getTxId() + (m.getIsDelete() ? " deleted" : "")));
        }
        return modifications;
    }

    private static Process startChild(final Path dir, final long seed, final Path log) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1"); // the child lives for a second: start fast, skip C2
        command.addAll(chronicleFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashTestChild.class.getName());
        command.add(dir.toString());
        command.add(Long.toString(seed));
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    /** The Chronicle JVM flags: from the surefire configuration, else from this JVM's own arguments. */
    private static List<String> chronicleFlags() {
        final String configured = System.getProperty("ledger.test.childJvmFlags", "").trim();
        if (!configured.isEmpty()) {
            return Arrays.asList(configured.split("\\s+"));
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle") || a.startsWith("-Dpauser"))
                .toList();
    }

    private static Thread readReports(final Process child, final AtomicLong lastReported,
                                      final CountDownLatch committing) {
        final Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("committed ")) {
                        lastReported.set(Long.parseLong(line.substring("committed ".length()).trim()));
                        committing.countDown();
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the child was killed mid-line: the last complete line counts
            }
        }, "crash-test-child-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
