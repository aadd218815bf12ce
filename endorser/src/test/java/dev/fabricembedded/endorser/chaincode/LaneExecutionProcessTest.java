package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ipc.chronicle.Lane;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executions over the lanes of a chaincode's channel, with a real chaincode process: each execution takes a free lane
 * and its thread serves the chaincode's requests itself, with the results the channel gives; the peer's saturation
 * hint reaches the lane; with every lane taken an execution goes through the channel; a timed-out execution closes its
 * lane and the next ones still run; a chaincode killed while executions wait on lanes and on the channel fails them all
 * with {@code chaincode stream terminated} and is relaunched; nothing is left behind (the fixture checks threads,
 * processes and directories at the end). The chaincode's lane threads run on their lanes' home CPUs, and an execution
 * gives its thread its CPU mask back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LaneExecutionProcessTest {

    private static final String CH = "ch";
    private static final int LANES = 2;

    @TempDir
    static Path dir;

    private KvProcessFixture fixture;
    private ChannelLedger ledger;
    private ChaincodeSupport support;

    @BeforeAll
    void start() throws IOException {
        fixture = new KvProcessFixture(dir, CH, LANES, b -> b.executeTimeout(Duration.ofSeconds(4))
                .saturationThreshold(1));
        ledger = fixture.ledger;
        support = fixture.support;
    }

    @AfterAll
    void stop() throws IOException {
        fixture.close();
    }

    @Test
    @Order(1)
    void executionsRunOverTheLanesWithTheChannelsResultsAndCarryTheSaturationHint() throws Exception {
        assertThat(execute("kv", "put", "a", "1")).isEmpty();
        final Handler handler = support.registry().handler("kv:1.0");
        assertThat(handler.lanes()).hasSize(LANES);
        final long overLanes = handler.executionsOverLanes();
        final long served = handler.framesServedByExecutingThreads();
        assertThat(execute("kv", "get", "b")).isEqualTo("2");
        assertThat(execute("kv", "put", "c", "3")).isEmpty();
        assertThat(execute("kv", "get", "c")).as("read back through the simulator").isEmpty();
        assertThat(handler.executionsOverLanes() - overLanes).isEqualTo(3);
        // each: one ledger request and the COMPLETED, read by the executing thread
        assertThat(handler.framesServedByExecutingThreads() - served).isEqualTo(6);
        assertThat(handler.executionsOnLanes()).isZero();

        support.proposalLoad().enter();
        try {
            assertThat(execute("kv", "get", "b")).isEqualTo("2");
            assertThat(handler.lanes().stream().anyMatch(Lane::coresSaturated)).as("published with the TRANSACTION")
                    .isTrue();
        } finally {
            support.proposalLoad().exit();
        }
        for (int i = 0; i < LANES; i++) {
            assertThat(execute("kv", "get", "b")).isEqualTo("2");
        }
        assertThat(handler.lanes().stream().noneMatch(Lane::coresSaturated)).as("cleared on every lane").isTrue();
    }

    @Test
    @Order(1)
    void theChaincodesLaneThreadsRunOnTheLanesHomeCpusAndAnExecutionGivesTheCallerItsMaskBack() throws Exception {
        final String maskBefore = CpusAllowed.of(Path.of("/proc/thread-self/status"));
        assertThat(execute("kv", "get", "b")).isEqualTo("2");
        assertThat(CpusAllowed.of(Path.of("/proc/thread-self/status"))).as("the executing thread's CPU mask, given back")
                .isEqualTo(maskBefore);
        final List<Integer> homes = support.registry().handler("kv:1.0").lanes().stream().map(Lane::homeCpu)
                .sorted().toList();
        Assumptions.assumeTrue(homes.stream().allMatch(cpu -> cpu >= 0),
                "lanes have no home CPU here (no CPU affinity on this platform)");
        Assumptions.assumeTrue(maskBefore.contains(",") || maskBefore.contains("-"), "needs two CPUs");
        final ProcessHandle chaincode = LeakCheck.chaincodeProcesses("kv:1.0").get(0);
        final List<Integer> pinned = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(chaincode.pid()), "task"))) {
            for (final Path task : tasks.toList()) {
                final String allowed = CpusAllowed.of(task.resolve("status"));
                if (allowed.matches("[0-9]+")) {
                    pinned.add(Integer.parseInt(allowed));
                }
            }
        }
        assertThat(pinned.stream().sorted().toList()).as("the chaincode's threads bound to one CPU: one per lane, at home")
                .isEqualTo(homes);
    }

    @Test
    @Order(2)
    void withEveryLaneTakenAnExecutionGoesThroughTheChannelAndAKillEndsThemAll() throws Exception {
        assertThat(execute("bad", "ok")).isEqualTo("fine");
        final List<CompletableFuture<Throwable>> hangs = List.of(hang(), hang());
        LeakCheck.await(() -> support.registry().handler("bad:1.0").executionsOnLanes() == LANES, "both lanes taken");
        final CompletableFuture<Throwable> third = hang();
        LeakCheck.await(() -> support.registry().handler("bad:1.0").executionsInProgress() == LANES + 1,
                "a third execution through the channel");
        assertThat(support.registry().handler("bad:1.0").executionsOnLanes()).isEqualTo(LANES);

        final List<ProcessHandle> running = LeakCheck.chaincodeProcesses("bad:1.0");
        assertThat(running).hasSize(1);
        running.get(0).destroyForcibly();
        for (final CompletableFuture<Throwable> hang : List.of(hangs.get(0), hangs.get(1), third)) {
            assertThat(hang.get(30, TimeUnit.SECONDS)).hasMessageEndingWith("chaincode stream terminated");
        }
        LeakCheck.await(() -> !support.isRunning("bad", "1.0"), "the killed chaincode is deregistered");
        assertThat(execute("bad", "ok")).as("relaunched, over a lane again").isEqualTo("fine");
        assertThat(support.registry().handler("bad:1.0").executionsOverLanes()).isEqualTo(1);
    }

    @Test
    @Order(3) // last: it leaves the chaincode with a lane closed
    void aTimedOutExecutionClosesItsLaneAndTheNextExecutionsStillRun() throws Exception {
        assertThat(execute("kv", "get", "b")).isEqualTo("2");
        assertThat(execute("bad", "ok")).isEqualTo("fine");
        final Handler handler = support.registry().handler("bad:1.0");
        final long openBefore = handler.lanes().stream().filter(Lane::isOpen).count();
        assertThat(hang().get(30, TimeUnit.SECONDS)).hasMessageEndingWith("timeout expired while executing transaction");
        assertThat(handler.lanes().stream().filter(Lane::isOpen).count()).isEqualTo(openBefore - 1);
        for (int i = 0; i < LANES + 1; i++) {
            assertThat(execute("bad", "ok")).isEqualTo("fine");
        }
    }

    /** Runs {@code bad hang} on another thread; completes with the execution's failure. */
    private CompletableFuture<Throwable> hang() {
        return CompletableFuture.supplyAsync(() -> {
            final String txId = txId();
            try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
                support.execute(context(CH, "bad", "1.0", txId).simulator(simulator).build(), input("hang"));
                return null;
            } catch (ChaincodeException e) {
                return e;
            }
        });
    }

    private String execute(final String name, final String... args) throws ChaincodeException {
        return fixture.execute(name, args);
    }
}
