package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saturation hint ({@link ProposalLoad}) with a real chaincode process: with as many proposals in flight as the
 * threshold, an execution publishes the hint to the chaincode's channel and its executing thread stops polling at once
 * (it parks until the answer); below it, it polls per its wait strategy. The executing thread's wait strategy here
 * would yield ~10^9 times before blocking, so a thread seen parked was put to sleep by the hint. A chaincode killed
 * while the executing thread sleeps fails the execution, leaves no thread nor process behind, and is relaunched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaturatedExecutionProcessTest {

    private static final String CH = "ch";
    private static final WaitStrategy POLLS_FOR_EVER = WaitStrategy.spinYieldPark(10, 1_000_000_000,
            Duration.ofMillis(1), Duration.ofMillis(1), 1_000_000_000);

    @TempDir
    static Path dir;

    private ChannelLedger ledger;
    private ChaincodeSupport support;
    private Path channels;
    private Path packages;

    @BeforeAll
    void start() throws IOException {
        ledger = TestLedgers.open(dir.resolve("ledger"), CH);
        final TxReadWriteSet setup;
        try (TxSimulator simulator = ledger.newTxSimulator("setup")) {
            simulator.setState("kv", "b", "2".getBytes(StandardCharsets.UTF_8));
            setup = simulator.getTxSimulationResults();
        }
        TestLedgers.commit(ledger, "setup", setup);
        channels = dir.resolve("channels");
        packages = dir.resolve("packages");
        final Installed installed = new Installed(dir.resolve("chaincodes"));
        installed.deploy(ledger, "kv", "1.0", ExampleJars.bytes("kv"));
        installed.deploy(ledger, "bad", "1.0", ExampleJars.bytes("misbehaving"));
        support = ChaincodeSupport.builder()
                .runtime(ProcessRuntime.builder().channelBaseDir(channels).stopGracePeriod(Duration.ofSeconds(1))
                        .build())
                .packageDir(packages)
                .packages(installed.store())
                .executeTimeout(Duration.ofSeconds(30))
                .executionWaitStrategy(POLLS_FOR_EVER)
                .saturationThreshold(1)
                .build();
    }

    @AfterAll
    void stop() throws IOException {
        support.close();
        ledger.close();
        LeakCheck.threadsNamed("chaincode-", "ipc-").assertNothingLeft(channels, packages);
    }

    @Test
    void theLoadCountsProposalsAndSaysSaturatedFromTheThreshold() {
        final ProposalLoad load = new ProposalLoad(2);
        assertThat(load.saturated()).isFalse();
        load.enter();
        assertThat(load.saturated()).as("one of two").isFalse();
        load.enter();
        assertThat(load.inFlight()).isEqualTo(2);
        assertThat(load.saturated()).isTrue();
        load.exit();
        assertThat(load.saturated()).isFalse();
        load.exit();
        assertThat(new ProposalLoad(0).saturated()).as("0: never").isFalse();
        assertThat(support.proposalLoad().threshold()).isEqualTo(1);
    }

    @Test
    void saturatedTheHintReachesTheChaincodesChannelAndItsResultsAreTheSame() throws Exception {
        assertThat(execute("kv", "put", "a", "1")).as("launched, not saturated").isEmpty();
        final Handler handler = support.registry().handler("kv:1.0");
        assertThat(handler.channelSaysCoresSaturated()).isFalse();
        support.proposalLoad().enter();
        try {
            assertThat(execute("kv", "get", "b")).isEqualTo("2");
            assertThat(handler.channelSaysCoresSaturated()).as("published with the TRANSACTION").isTrue();
        } finally {
            support.proposalLoad().exit();
        }
        assertThat(execute("kv", "get", "b")).isEqualTo("2");
        assertThat(handler.channelSaysCoresSaturated()).as("cleared with the next TRANSACTION").isFalse();
    }

    @Test
    void anExecutingThreadPollsBelowTheThresholdAndSleepsAtItAndAKilledChaincodeWakesItWithTheFailure()
            throws Exception {
        assertThat(execute("bad", "ok")).isEqualTo("fine");
        // below the threshold: the thread waiting for a hanging chaincode polls, it is never seen parked
        final AtomicReference<Thread> waiter = new AtomicReference<>();
        final CompletableFuture<Throwable> polling = hang(waiter, false);
        LeakCheck.await(() -> waiter.get() != null, "the execution started");
        LeakCheck.await(() -> support.registry().handler("bad:1.0").executionsInProgress() == 1, "executing");
        for (int i = 0; i < 50; i++) {
            assertThat(parked(waiter.get())).as("sample %d: the executing thread polls", i).isFalse();
            Thread.sleep(2);
        }
        killAndExpectStreamTerminated(polling);

        // at the threshold: it parks at its first idle step, and the kill still ends its wait
        waiter.set(null);
        final CompletableFuture<Throwable> sleeping = hang(waiter, true);
        LeakCheck.await(() -> waiter.get() != null, "the execution started");
        LeakCheck.await(() -> support.isRunning("bad", "1.0")
                && support.registry().handler("bad:1.0").executionsInProgress() == 1, "executing");
        LeakCheck.await(() -> parked(waiter.get()), "the executing thread asleep");
        assertThat(support.registry().handler("bad:1.0").channelSaysCoresSaturated()).isTrue();
        killAndExpectStreamTerminated(sleeping);
        assertThat(support.proposalLoad().inFlight()).isZero();
    }

    private static boolean parked(final Thread thread) {
        final Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** Runs {@code bad hang} on another thread, counted as a proposal in flight if {@code saturated}. */
    private CompletableFuture<Throwable> hang(final AtomicReference<Thread> waiter, final boolean saturated) {
        return CompletableFuture.supplyAsync(() -> {
            waiter.set(Thread.currentThread());
            if (saturated) {
                support.proposalLoad().enter();
            }
            final String txId = txId();
            try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
                support.execute(context(CH, "bad", "1.0", txId).simulator(simulator).build(), input("hang"));
                return null;
            } catch (ChaincodeException e) {
                return e;
            } finally {
                if (saturated) {
                    support.proposalLoad().exit();
                }
            }
        });
    }

    private void killAndExpectStreamTerminated(final CompletableFuture<Throwable> execution) throws Exception {
        final List<ProcessHandle> running = LeakCheck.chaincodeProcesses("bad:1.0");
        assertThat(running).hasSize(1);
        running.get(0).destroyForcibly();
        assertThat(execution.get(30, TimeUnit.SECONDS)).hasMessageEndingWith("chaincode stream terminated");
        LeakCheck.await(() -> !support.isRunning("bad", "1.0"), "the killed chaincode is deregistered");
        assertThat(execute("bad", "ok")).as("relaunched").isEqualTo("fine");
    }

    private String execute(final String name, final String... args) throws ChaincodeException {
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            return support.execute(context(CH, name, "1.0", txId).simulator(simulator).build(), input(args))
                    .response().getPayload().toStringUtf8();
        }
    }
}
