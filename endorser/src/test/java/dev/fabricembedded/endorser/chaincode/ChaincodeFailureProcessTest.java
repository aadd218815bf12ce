package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.endorser.runtime.ProcessRuntime;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How chaincode support copes with chaincode processes that misbehave, with real child JVMs: a hung transaction (the
 * execute timeout, set to 2 s here), a process killed mid-transaction (stream terminated, relaunch), a process that
 * never registers (the start-up timeout, at its minimum of 5 s), one that exits at once (a bogus chaincode class), and
 * twenty proposals racing for a chaincode that is not running (exactly one process started).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaincodeFailureProcessTest {

    private static final String CH = "ch";
    private static final int RACERS = 20;

    @TempDir
    static Path dir;

    private ChannelLedger ledger;
    private CountingRuntime runtime;
    private ChaincodeSupport support;
    private Path channels;
    private Path packages;

    @BeforeAll
    void start() throws IOException {
        ledger = TestLedgers.open(dir.resolve("ledger"), CH);
        channels = dir.resolve("channels");
        packages = dir.resolve("packages");
        final Path jars = Files.createDirectories(dir.resolve("jars"));
        final Installed installed = new Installed(dir.resolve("chaincodes"));
        installed.deploy(ledger, "bad", "1.0", ExampleJars.bytes("misbehaving"));
        installed.deploy(ledger, "racy", "1.0", ExampleJars.bytes("kv"));
        installed.deploy(ledger, "slow", "1.0", ExampleJars.packageOf(SlowStartingChaincode.class,
                SlowStartingChaincode.class.getName(), jars));
        installed.install("bogus", "1.0", ExampleJars.packageOf(SlowStartingChaincode.class,
                "com.example.NoSuchChaincode", jars));
        runtime = new CountingRuntime(ProcessRuntime.builder().channelBaseDir(channels)
                .stopGracePeriod(Duration.ofSeconds(1)).build());
        support = ChaincodeSupport.builder()
                .runtime(runtime)
                .packageDir(packages)
                .executeTimeout(Duration.ofSeconds(2))
                .startupTimeout(Duration.ofSeconds(1))
                .packages(installed.store())
                .build();
    }

    @AfterAll
    void stop() throws IOException {
        support.close();
        ledger.close();
        LeakCheck.threadsNamed("chaincode-", "ipc-").assertNothingLeft(channels, packages);
    }

    @Test
    void startUpTimeoutIsRaisedToFabricsMinimumOfFiveSeconds() {
        assertThat(support.startupTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ChaincodeSupport.builder().executeTimeout(Duration.ofMillis(500)).build())
                .satisfies(s -> {
                    try (s) {
                        assertThat(s.executeTimeout()).isEqualTo(Duration.ofSeconds(30));
                    }
                });
    }

    @Test
    void aHungTransactionTimesOutAndTheChaincodeKeepsServing() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            assertThatThrownBy(() -> support.execute(context(CH, "bad", "1.0", txId).simulator(simulator).build(),
                    input("hang")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("failed to execute transaction " + txId
                            + ": error sending: timeout expired while executing transaction");
        }
        assertThat(support.isRunning("bad", "1.0")).isTrue();
        assertThat(ok("bad")).isEqualTo("fine");
    }

    @Test
    void aChaincodeKilledMidTransactionFailsItWithStreamTerminatedAndIsRelaunchedByTheNextOne() throws Exception {
        ok("bad");
        final List<ProcessHandle> before = LeakCheck.chaincodeProcesses("bad:1.0");
        assertThat(before).hasSize(1);
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
                try {
                    support.execute(context(CH, "bad", "1.0", txId).simulator(simulator).build(), input("hang"));
                    return null;
                } catch (ChaincodeException e) {
                    return e;
                }
            });
            LeakCheck.await(() -> support.registry().handler("bad:1.0") != null
                    && support.registry().handler("bad:1.0").executionsInProgress() > 0, "the hang is in progress");
            before.get(0).destroyForcibly();
            assertThat(failure.get(20, TimeUnit.SECONDS)).hasMessage("failed to execute transaction " + txId
                    + ": error sending: chaincode stream terminated");
        }
        assertThat(support.isRunning("bad", "1.0")).isFalse();
        assertThat(ok("bad")).isEqualTo("fine");
        final List<ProcessHandle> after = LeakCheck.chaincodeProcesses("bad:1.0");
        assertThat(after).hasSize(1);
        assertThat(after.get(0).pid()).isNotEqualTo(before.get(0).pid());
    }

    @Test
    void aChaincodeThatNeverRegistersFailsTheLaunchWhenTheStartUpTimeoutExpiresAndIsStopped() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            assertThatThrownBy(() -> support.execute(context(CH, "slow", "1.0", txId).simulator(simulator).build(),
                    input("x")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("failed to execute transaction " + txId + ": [channel ch] could not launch chaincode"
                            + " slow:1.0: timeout expired while starting chaincode slow:1.0 for transaction");
        }
        assertThat(support.isRunning("slow", "1.0")).isFalse();
        LeakCheck.await(() -> LeakCheck.chaincodeProcesses("slow:1.0").isEmpty(), "the slow process stopped");
    }

    @Test
    void aChaincodeProcessThatExitsBeforeRegisteringFailsTheInitWithItsExitCode() throws Exception {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            assertThatThrownBy(() -> support.execute(context(CH, "bogus", "1.0", txId).simulator(simulator)
                    .init(true).build(), input("init")))
                    .isInstanceOf(ChaincodeException.class)
                    .hasMessage("chaincode registration failed: container exited with 2");
        }
        assertThat(support.isRunning("bogus", "1.0")).isFalse();
    }

    @Test
    void twentyProposalsRacingForAChaincodeThatIsNotRunningStartExactlyOneProcess() throws Exception {
        final int startsBefore = runtime.starts();
        final ExecutorService proposals = Executors.newFixedThreadPool(RACERS);
        try {
            final CountDownLatch go = new CountDownLatch(1);
            final List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                final int n = i;
                results.add(proposals.submit(() -> {
                    final String txId = txId();
                    go.await();
                    try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
                        return support.execute(context(CH, "racy", "1.0", txId).simulator(simulator).build(),
                                input("whoami")).response().getPayload().toStringUtf8() + n;
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < RACERS; i++) {
                assertThat(results.get(i).get(120, TimeUnit.SECONDS)).isEqualTo("Org1MSP" + i);
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a racing proposal failed", e.getCause());
        } finally {
            proposals.shutdownNow();
        }
        assertThat(runtime.starts() - startsBefore).isEqualTo(1);
        assertThat(LeakCheck.chaincodeProcesses("racy:1.0")).hasSize(1);
    }

    private String ok(final String name) throws ChaincodeException {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            return support.execute(context(CH, name, "1.0", txId).simulator(simulator).build(), input("ok"))
                    .response().getPayload().toStringUtf8();
        }
    }
}
