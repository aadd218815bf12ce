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
 * Executions that read their own frames from a real chaincode process's channel (the peer end's inbound lease), with a
 * wait strategy that never gives the lease back while waiting: an invoke's requests and answer served on the
 * executing thread, and the chaincode process killed while that thread holds the lease.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the chaincode channel without lanes: what is tested here is the path through the channel (LaneExecutionProcessTest
// covers the lanes)
class LeasedExecutionProcessTest {

    private static final String CH = "ch";

    @TempDir
    static Path dir;

    private KvProcessFixture fixture;
    private ChannelLedger ledger;
    private ChaincodeSupport support;

    @BeforeAll
    void start() throws IOException {
        fixture = new KvProcessFixture(dir, CH, 0, b -> b.executeTimeout(Duration.ofSeconds(20))
                .executionWaitStrategy(WaitStrategy.yielding()));
        ledger = fixture.ledger;
        support = fixture.support;
    }

    @AfterAll
    void stop() throws IOException {
        fixture.close();
    }

    @Test
    void anInvokesStateRequestsAndAnswerAreServedOnTheExecutingThread() throws Exception {
        assertThat(execute("kv", "put", "a", "1")).as("launched").isEmpty();
        final Handler handler = support.registry().handler("kv:1.0");
        final long before = handler.framesServedByExecutingThreads();
        final String txId = txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            final ChaincodeResult get = support.execute(context(CH, "kv", "1.0", txId).simulator(simulator).build(),
                    input("get", "b"));
            assertThat(get.response().getStatus()).isEqualTo(200);
            assertThat(get.response().getPayload().toStringUtf8()).as("committed value").isEqualTo("2");
        }
        assertThat(handler.framesServedByExecutingThreads() - before).as("GET_STATE and COMPLETED").isEqualTo(2);
    }

    @Test
    void aChaincodeKilledWhileTheExecutingThreadHoldsTheLeaseFailsWithStreamTerminated() throws Exception {
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
            LeakCheck.await(() -> handler.executionsReadingOwnFrames() == 1, "the hang holds the lease");
            before.get(0).destroyForcibly();
            assertThat(failure.get(20, TimeUnit.SECONDS)).hasMessage("failed to execute transaction " + txId
                    + ": error sending: chaincode stream terminated");
        }
        assertThat(handler.executionsReadingOwnFrames()).isZero();
        assertThat(handler.executionsInProgress()).isZero();
        LeakCheck.await(() -> !support.isRunning("bad", "1.0"), "the killed chaincode is deregistered");
        assertThat(execute("bad", "ok")).as("relaunched").isEqualTo("fine");
    }

    private String execute(final String name, final String... args) throws ChaincodeException {
        return fixture.execute(name, args);
    }
}
