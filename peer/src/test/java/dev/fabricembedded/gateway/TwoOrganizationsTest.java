package dev.fabricembedded.gateway;

import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.orderer.solo.SoloOrderer;
import dev.fabricembedded.peer.ExampleJars;
import dev.fabricembedded.peer.PeerChannel;
import dev.fabricembedded.peer.TestNetwork;
import dev.fabricembedded.peer.event.Registration;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static dev.fabricembedded.peer.TestNetwork.ORDERER_ORG;
import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static dev.fabricembedded.peer.TestNetwork.ORG2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/**
 * Two organisations with one peer each in one JVM on one orderer: example02 instantiated with
 * {@code AND('Org1MSP.member','Org2MSP.member')}, kv with the default policy; the client cases of §9.5.
 */
class TwoOrganizationsTest {

    @TempDir
    static Path root;
    static TestNetwork network;

    @BeforeAll
    static void instantiate() {
        network = TestNetwork.create(root, ORG1, ORG2);
        try (Gateway admin1 = network.gateway(ORG1.signer(NodeRole.ADMIN));
             Gateway admin2 = network.gateway(ORG2.signer(NodeRole.ADMIN))) {
            for (final Gateway admin : List.of(admin1, admin2)) {
                admin.install(ExampleJars.jar("example02"), "mycc", "1.0");
                admin.install(ExampleJars.jar("kv"), "kv", "1.0");
            }
            final Network channel = admin1.network(TestNetwork.CHANNEL);
            assertThat(channel.instantiate("mycc", "1.0", List.of("init", "a", "100", "b", "200"),
                    "AND('Org1MSP.member','Org2MSP.member')").code()).isEqualTo(TxValidationCode.VALID);
            assertThat(channel.instantiate("kv", "1.0", List.of("init"), null).code())
                    .isEqualTo(TxValidationCode.VALID);
        }
    }

    @AfterAll
    static void close() {
        network.close();
    }

    @Test
    void bothEndorsementsSatisfyTheAndPolicyAndBothPeersCommit() {
        final SubmitResult result;
        try (Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT))) {
            assertThat(client.endorsingPeers()).extracting(p -> p.mspId()).containsExactly("Org1MSP", "Org2MSP");
            result = client.network(TestNetwork.CHANNEL).contract("mycc").submitTransaction("move", "a", "b", "10");
        }
        assertThat(result.code()).isEqualTo(TxValidationCode.VALID);
        final PeerChannel second = network.peer(1).channel(TestNetwork.CHANNEL).orElseThrow();
        assertThat(second.transactionStatus(result.txId()).orTimeout(30, TimeUnit.SECONDS).join().code())
                .isEqualTo(TxValidationCode.VALID);
        awaitHeight(second, result.blockNumber() + 1);
        try (Gateway reader = network.gateway(ORG2.signer(NodeRole.CLIENT), network.peer(1))) {
            final Contract contract = reader.network(TestNetwork.CHANNEL).contract("mycc");
            assertThat(Integer.parseInt(utf8(contract.evaluate("query", "a")))
                    + Integer.parseInt(utf8(contract.evaluate("query", "b")))).isEqualTo(300);
        }
    }

    @Test
    void endorsementsRunInParallelOnAnExecutorTheHostGives() throws Exception {
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        try (Gateway client = Gateway.builder().identity(ORG2.signer(NodeRole.CLIENT)).peers(network.peers())
                .orderer(network.orderer()).endorsementExecutor(executor).build()) {
            final Contract contract = client.network(TestNetwork.CHANNEL).contract("mycc");
            assertThat(contract.submitTransaction("move", "b", "a", "5").code()).isEqualTo(TxValidationCode.VALID);
            assertThatThrownBy(() -> contract.submit("move", "a", "nobody", "1"))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> assertThat(e.peerName()).as("the first failing peer in gateway order")
                            .isEqualTo("peer0.org1.example.com"));
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void oneEndorsementFailsTheAndPolicyAtCommit() {
        try (Gateway org1Only = network.gateway(ORG1.signer(NodeRole.CLIENT), network.peer(0))) {
            final Contract contract = org1Only.network(TestNetwork.CHANNEL).contract("mycc");
            final String before = utf8(contract.evaluate("query", "a"));
            assertThatThrownBy(() -> contract.submit("move", "a", "b", "1"))
                    .asInstanceOf(type(CommitException.class))
                    .satisfies(e -> {
                        assertThat(e.code()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
                        assertThat(e.txId()).isPresent();
                        assertThat(network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().ledger()
                                .transactionById(e.txId().get()).orElseThrow().validationCode())
                                .isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
                    });
            assertThat(utf8(contract.evaluate("query", "a"))).as("an invalid transaction writes nothing")
                    .isEqualTo(before);
        }
    }

    @Test
    void endorsementsWithDifferentPayloadsAreNotAssembled() throws Exception {
        // Org2's peer is held in a block listener after its next commit, so it misses the following write and its
        // read of the key differs from Org1's peer
        final PeerChannel second = network.peer(1).channel(TestNetwork.CHANNEL).orElseThrow();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean first = new AtomicBoolean(true);
        try (Registration hold = second.onBlock(block -> {
                 if (first.getAndSet(false)) {
                     held.countDown();
                     awaitQuietly(release);
                 }
             });
             Gateway both = network.gateway(ORG1.signer(NodeRole.CLIENT));
             Gateway org1Only = network.gateway(ORG1.signer(NodeRole.CLIENT), network.peer(0))) {
            final Contract kv = both.network(TestNetwork.CHANNEL).contract("kv");
            kv.submit("put", "diverging", "v1");
            assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
            org1Only.network(TestNetwork.CHANNEL).contract("kv").submit("put", "diverging", "v2");
            final long height = network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().height();

            assertThatThrownBy(() -> kv.submit("get", "diverging"))
                    .asInstanceOf(type(SubmitException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(SubmitException.Reason.ASSEMBLY);
                        assertThat(e).hasMessage("ProposalResponsePayloads do not match");
                        assertThat(e.txId()).isPresent();
                    });
            assertThat(network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().height())
                    .as("nothing was ordered").isEqualTo(height);
        } finally {
            release.countDown();
        }
        awaitHeight(second, network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().height());
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aChaincodeErrorIsAnEndorseExceptionWithFabricsText() {
        try (Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT))) {
            final Contract contract = client.network(TestNetwork.CHANNEL).contract("mycc");
            assertThatThrownBy(() -> contract.submit("move", "a", "nobody", "1"))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> {
                        assertThat(e.status()).isEqualTo(500);
                        assertThat(e.responseMessage()).isEqualTo("transaction returned with failure: Entity not found");
                        assertThat(e.peerName()).isEqualTo("peer0.org1.example.com");
                    });
            assertThatThrownBy(() -> contract.evaluate("query", "nobody"))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> assertThat(e.responseMessage()).startsWith("transaction returned with failure: "));
        }
    }

    @Test
    void aPeerThatRejectsTheProposalIsAnEndorseExceptionWithoutStatus() {
        // a peer identity is not a channel Writer: peer/Propose refuses it before simulation
        try (Gateway asPeer = network.gateway(ORG1.signer(NodeRole.PEER), network.peer(0))) {
            assertThatThrownBy(() -> asPeer.network(TestNetwork.CHANNEL).contract("mycc").evaluate("query", "a"))
                    .asInstanceOf(type(EndorseException.class))
                    .satisfies(e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.responseMessage()).contains("/Channel/Application/Writers");
                    });
        }
    }

    @Test
    void anOrdererRefusalCarriesItsStatus(@TempDir final Path otherOrdererDir) {
        try (SoloOrderer empty = SoloOrderer.builder(otherOrdererDir, ORDERER_ORG.signer(NodeRole.ORDERER)).open();
             Gateway client = Gateway.builder().identity(ORG1.signer(NodeRole.CLIENT)).peers(network.peers())
                     .orderer(empty).commitTimeout(Duration.ofSeconds(5)).build()) {
            assertThatThrownBy(() -> client.network(TestNetwork.CHANNEL).contract("kv").submit("put", "k", "v"))
                    .asInstanceOf(type(SubmitException.class))
                    .satisfies(e -> {
                        assertThat(e.reason()).isEqualTo(SubmitException.Reason.BROADCAST);
                        assertThat(e.broadcastStatus()).contains(Status.NOT_FOUND);
                        assertThat(e.getMessage()).contains("channel does not exist");
                    });
        }
    }

    private static void awaitHeight(final PeerChannel channel, final long height) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (channel.height() < height && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        assertThat(channel.height()).isGreaterThanOrEqualTo(height);
    }

    private static String utf8(final byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
