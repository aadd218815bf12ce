package dev.fabricembedded.peer;

import dev.fabricembedded.gateway.Contract;
import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.gateway.SubmitResult;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import dev.fabricembedded.peer.event.ChaincodeEventRecord;
import dev.fabricembedded.peer.event.CommitStatus;
import dev.fabricembedded.peer.event.Registration;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Block, commit status and chaincode events of a joined channel, delivered after each commit. */
class ChannelEventsTest {

    @TempDir
    static Path root;
    static TestNetwork network;
    static Gateway client;
    static Contract kv;

    @BeforeAll
    static void instantiate() {
        network = TestNetwork.create(root, ORG1);
        try (Gateway admin = network.gateway(ORG1.signer(NodeRole.ADMIN))) {
            admin.install(ExampleJars.jar("kv"), "kv", "1.0");
            admin.network(TestNetwork.CHANNEL).instantiate("kv", "1.0", List.of("init"), null);
        }
        client = network.gateway(ORG1.signer(NodeRole.CLIENT));
        kv = client.network(TestNetwork.CHANNEL).contract("kv");
    }

    @AfterAll
    static void close() {
        client.close();
        network.close();
    }

    private static PeerChannel channel() {
        return network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow();
    }

    @Test
    void blockListenersSeeEachCommittedBlockAfterTheLedgerHasIt() throws Exception {
        final BlockingQueue<CommittedBlock> blocks = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> heightsSeen = new LinkedBlockingQueue<>();
        final SubmitResult result;
        try (Registration registration = channel().onBlock(block -> {
            heightsSeen.add(channel().height());
            blocks.add(block);
        })) {
            result = kv.submitTransaction("put", "block-key", "v");
            final CommittedBlock block = blocks.poll(30, TimeUnit.SECONDS);
            assertThat(block).isNotNull();
            assertThat(block.number()).isEqualTo(result.blockNumber());
            assertThat(block.transactions()).extracting(CommittedTransaction::txId, CommittedTransaction::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(result.txId(), TxValidationCode.VALID));
            assertThat(heightsSeen.take()).isEqualTo(result.blockNumber() + 1);
        }
        kv.submit("put", "block-key", "w");
        assertThat(blocks.poll(200, TimeUnit.MILLISECONDS)).as("nothing after the registration is closed").isNull();
    }

    @Test
    void commitStatusCompletesOnCommitOrAtOnceWhenAlreadyCommitted() throws Exception {
        final SubmitResult result = kv.submitTransaction("put", "status-key", "v");
        final CompletableFuture<CommitStatus> later = channel().commitStatus(result.txId());
        assertThat(later).as("already committed: complete at once").isCompleted();
        assertThat(later.join().blockNumber()).isEqualTo(result.blockNumber());
        assertThat(later.join().code()).isEqualTo(TxValidationCode.VALID);
        assertThat(channel().transactionStatus(result.txId()).join().index()).isZero();

        final CompletableFuture<CommittedTransaction> unknown = channel().transactionStatus("no-such-transaction");
        assertThat(unknown).isNotDone();
        unknown.cancel(false);
    }

    @Test
    void chaincodeEventsReachTheListenersOfTheirChaincodeOnly() throws Exception {
        final BlockingQueue<ChaincodeEventRecord> events = new LinkedBlockingQueue<>();
        final BlockingQueue<ChaincodeEventRecord> otherChaincode = new LinkedBlockingQueue<>();
        try (Registration kvEvents = channel().onChaincodeEvent("kv", events::add);
             Registration others = channel().onChaincodeEvent("mycc", otherChaincode::add)) {
            final SubmitResult result = kv.submitTransaction("event", "Transferred", "42 units");
            final ChaincodeEventRecord event = events.poll(30, TimeUnit.SECONDS);
            assertThat(event).isNotNull();
            assertThat(event.blockNumber()).isEqualTo(result.blockNumber());
            assertThat(event.txId()).isEqualTo(result.txId());
            assertThat(event.chaincodeName()).isEqualTo("kv");
            assertThat(event.eventName()).isEqualTo("Transferred");
            assertThat(event.event().getPayload().toString(StandardCharsets.UTF_8)).isEqualTo("42 units");
            assertThat(otherChaincode).isEmpty();

            assertThat(channel().transactionStatus(result.txId()).join().chaincodeEvent())
                    .as("read back from the ledger").hasValueSatisfying(e ->
                            assertThat(e.getEventName()).isEqualTo("Transferred"));
        }
    }

    @Test
    void aThrowingListenerIsLoggedAndTheChannelGoesOn() throws Exception {
        final BlockingQueue<Long> after = new LinkedBlockingQueue<>();
        try (Registration throwing = channel().onBlock(block -> {
                 throw new IllegalStateException("listener fails on purpose");
             });
             Registration counting = channel().onBlock(block -> after.add(block.number()))) {
            final SubmitResult first = kv.submitTransaction("put", "throwing-key", "1");
            final SubmitResult second = kv.submitTransaction("put", "throwing-key", "2");
            // a block of an earlier test may still be on its way to the listeners when they are registered
            Long seen = after.poll(30, TimeUnit.SECONDS);
            while (seen != null && seen < first.blockNumber()) {
                seen = after.poll(30, TimeUnit.SECONDS);
            }
            assertThat(seen).isEqualTo(first.blockNumber());
            assertThat(after.poll(30, TimeUnit.SECONDS)).isEqualTo(second.blockNumber());
            assertThat(channel().failure()).isEmpty();
            assertThat(channel().isFollowing()).isTrue();
        }
    }

    @Test
    void concurrentSubmitsEachSeeTheirOwnCommit() throws Exception {
        final java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            final List<java.util.concurrent.Future<List<SubmitResult>>> futures = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                final int thread = t;
                futures.add(clients.submit(() -> {
                    final List<SubmitResult> results = new java.util.ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        results.add(kv.submitTransaction("put", "concurrent-" + thread + "-" + i, "v"));
                    }
                    return results;
                }));
            }
            final List<SubmitResult> all = new java.util.ArrayList<>();
            for (final var future : futures) {
                all.addAll(future.get(120, TimeUnit.SECONDS));
            }
            assertThat(all).hasSize(20).allSatisfy(r -> {
                assertThat(r.code()).isEqualTo(TxValidationCode.VALID);
                final var stored = channel().ledger().transactionById(r.txId()).orElseThrow();
                assertThat(stored.blockNumber()).isEqualTo(r.blockNumber());
            });
            assertThat(all).extracting(SubmitResult::txId).doesNotHaveDuplicates();
        } finally {
            clients.shutdownNow();
            assertThat(clients.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void statusesStillPendingFailWhenThePeerCloses(@TempDir final Path otherRoot) {
        final CompletableFuture<CommittedTransaction> pending;
        try (TestNetwork other = TestNetwork.create(otherRoot, ORG1)) {
            pending = other.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().transactionStatus("never-submitted");
        }
        assertThatThrownBy(pending::join).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel mychannel: the peer closed");
    }
}
