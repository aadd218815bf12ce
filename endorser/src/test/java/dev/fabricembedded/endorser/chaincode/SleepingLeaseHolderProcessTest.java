package dev.fabricembedded.endorser.chaincode;

import static dev.fabricembedded.endorser.chaincode.Invocations.context;
import static dev.fabricembedded.endorser.chaincode.Invocations.input;
import static dev.fabricembedded.endorser.chaincode.Invocations.txId;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executing thread keeping the channel's inbound lease and sleeping on the lease holder's doorbell once its wait
 * strategy would block (ipc {@code InboundLease.pollOrSleep}), with a real chaincode process: the chaincode's frames
 * wake it and it serves them itself; the chaincode killed while it sleeps fails the execution with Fabric's text and
 * leaves no thread waiting. The strategy blocks after a single spin, so every wait here goes to sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SleepingLeaseHolderProcessTest {

    private static final String CH = "ch";

    @TempDir
    static Path dir;

    private KvProcessFixture fixture;
    private ChannelLedger ledger;
    private ChaincodeSupport support;

    @BeforeAll
    void start() throws IOException {
        fixture = new KvProcessFixture(dir, CH, b -> b.executeTimeout(Duration.ofSeconds(60))
                .executionWaitStrategy(WaitStrategy.spinYieldPark(1, 0, Duration.ofMillis(1), Duration.ofMillis(1), 1)));
        ledger = fixture.ledger;
        support = fixture.support;
    }

    @AfterAll
    void stop() throws IOException {
        fixture.close();
    }

    @Test
    void theChaincodesFramesWakeTheSleepingExecutingThreadWhichServesThemItself() throws Exception {
        assertThat(execute("kv", "put", "s", "1")).as("launched").isEmpty();
        final Handler handler = support.registry().handler("kv:1.0");
        for (int i = 0; i < 20; i++) {
            final long before = handler.framesServedByExecutingThreads();
            final String key = "k" + i;
            final String txId = txId();
            try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
                final ChaincodeResult put = support.execute(
                        context(CH, "kv", "1.0", txId).simulator(simulator).build(), input("put", key, "v" + i));
                assertThat(put.response().getStatus()).isEqualTo(200);
                assertThat(ChaincodeSupportProcessTest.kv(simulator.getTxSimulationResults(), "kv").getWritesList())
                        .as("the write reached the simulator").extracting(w -> w.getKey()).containsExactly(key);
            }
            assertThat(handler.framesServedByExecutingThreads() - before).as("PUT_STATE and COMPLETED").isEqualTo(2);
        }
        assertThat(handler.executionsAsleepOnLease()).isZero();
    }

    @Test
    void aChaincodeKilledWhileTheExecutingThreadSleepsHoldingTheLeaseFailsWithStreamTerminated() throws Exception {
        assertThat(execute("bad", "ok")).isEqualTo("fine");
        final List<ProcessHandle> before = LeakCheck.chaincodeProcesses("bad:1.0");
        assertThat(before).hasSize(1);
        final Handler handler = support.registry().handler("bad:1.0");
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
            LeakCheck.await(() -> handler.executionsAsleepOnLease() == 1, "the hang asleep holding the lease");
            before.get(0).destroyForcibly();
            assertThat(failure.get(30, TimeUnit.SECONDS)).hasMessage("failed to execute transaction " + txId
                    + ": error sending: chaincode stream terminated");
        }
        assertThat(handler.executionsAsleepOnLease()).isZero();
        assertThat(handler.executionsReadingOwnFrames()).isZero();
        assertThat(handler.executionsInProgress()).isZero();
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
