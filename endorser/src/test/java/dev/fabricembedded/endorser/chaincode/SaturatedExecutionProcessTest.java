package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabricembedded.ipc.WaitStrategy;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The saturation hint ({@link ProposalLoad}) with a real chaincode process: each execution publishes to the chaincode's
 * channel whether as many proposals as the threshold are in flight (both processes' event loops then sleep on their
 * doorbells as soon as they are idle, see the ipc {@code DoorbellTest}), the results are the same either way, and the
 * executing threads keep waiting per their strategy (the lease holder reads its own frames; the other is handed its
 * answer): their wait strategy here would yield ~10^9 times before blocking, so a thread seen parked would have been put
 * to sleep by the hint. A chaincode killed while two executions wait fails both, leaves no thread nor process behind,
 * and is relaunched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the chaincode channel without lanes: what is tested here is the path through the channel (LaneExecutionProcessTest
// covers the lanes)
class SaturatedExecutionProcessTest {

    private static final String CH = "ch";
    private static final WaitStrategy POLLS_FOR_EVER = WaitStrategy.spinYieldPark(10, 1_000_000_000,
            Duration.ofMillis(1), Duration.ofMillis(1), 1_000_000_000);

    @TempDir
    static Path dir;

    private KvProcessFixture fixture;
    private ChannelLedger ledger;
    private ChaincodeSupport support;

    @BeforeAll
    void start() throws IOException {
        fixture = new KvProcessFixture(dir, CH, 0, b -> b.executeTimeout(Duration.ofSeconds(30))
                .executionWaitStrategy(POLLS_FOR_EVER).saturationThreshold(1));
        ledger = fixture.ledger;
        support = fixture.support;
    }

    @AfterAll
    void stop() throws IOException {
        fixture.close();
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
        assertThatThrownBy(() -> new ProposalLoad(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the saturation threshold must be >= 0 proposals, got -1");
        assertThatThrownBy(() -> ChaincodeSupport.builder().saturationThreshold(-2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the saturation threshold must be >= 0 proposals, got -2");
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
    void theHintFollowsTheLoadWhileTheExecutingThreadsWaitAsTheirStrategySaysAndAKillEndsBoth() throws Exception {
        assertThat(execute("bad", "ok")).isEqualTo("fine");
        for (final boolean saturated : new boolean[] {false, true}) {
            // the first hang's thread holds the channel's inbound lease (it reads its own frames); the second cannot
            final AtomicReference<Thread> readerThread = new AtomicReference<>();
            final AtomicReference<Thread> waiterThread = new AtomicReference<>();
            final CompletableFuture<Throwable> reading = hang(readerThread, saturated);
            LeakCheck.await(() -> support.isRunning("bad", "1.0")
                    && support.registry().handler("bad:1.0").executionsReadingOwnFrames() == 1, "the lease taken");
            final CompletableFuture<Throwable> waiting = hang(waiterThread, saturated);
            LeakCheck.await(() -> support.registry().handler("bad:1.0").executionsInProgress() == 2, "both executing");
            assertThat(support.registry().handler("bad:1.0").channelSaysCoresSaturated()).isEqualTo(saturated);
            for (int i = 0; i < 50; i++) {
                assertThat(parked(readerThread.get())).as("sample %d: the lease holder polls", i).isFalse();
                assertThat(parked(waiterThread.get())).as("sample %d: the other waiter polls too", i).isFalse();
                Thread.sleep(2);
            }
            // the kill ends the wait of both, through the lease holder's poll and the handler's onClose
            final List<ProcessHandle> running = LeakCheck.chaincodeProcesses("bad:1.0");
            assertThat(running).hasSize(1);
            running.get(0).destroyForcibly();
            assertThat(reading.get(30, TimeUnit.SECONDS)).hasMessageEndingWith("chaincode stream terminated");
            assertThat(waiting.get(30, TimeUnit.SECONDS)).hasMessageEndingWith("chaincode stream terminated");
            LeakCheck.await(() -> !support.isRunning("bad", "1.0"), "the killed chaincode is deregistered");
            assertThat(execute("bad", "ok")).as("relaunched").isEqualTo("fine");
        }
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

    private String execute(final String name, final String... args) throws ChaincodeException {
        return fixture.execute(name, args);
    }
}
