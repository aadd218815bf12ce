package dev.fabricembedded.peer;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import dev.fabricembedded.shim.testing.LeakCheck;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.fabricembedded.peer.TestNetwork.ORDERER_ORG;
import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static dev.fabricembedded.peer.TestNetwork.ORG2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening, joining, locking and closing a peer. */
class PeerLifecycleTest {

    @Test
    void aSecondPeerOnTheSameDirectoryIsRefusedUntilTheFirstCloses(@TempDir final Path root) {
        try (TestNetwork network = TestNetwork.create(root, ORG1)) {
            final Path directory = network.peerDirectory(ORG1);
            assertThatThrownBy(() -> network.peerBuilder(ORG1).open())
                    .isInstanceOf(PeerInUseException.class)
                    .hasMessageContaining("peer data directory " + directory.toAbsolutePath().normalize() + " is in use")
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
            assertThat(network.peer(0).channel(TestNetwork.CHANNEL)).as("the first peer is untouched").isPresent();

            network.peer(0).close();
            try (Peer reopened = network.peerBuilder(ORG1).open()) {
                assertThat(reopened.channels()).containsExactly(TestNetwork.CHANNEL);
                assertThat(reopened.channel(TestNetwork.CHANNEL).orElseThrow().height()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPeerInAnotherProcessIsRefusedToo(@TempDir final Path root) throws Exception {
        try (TestNetwork network = TestNetwork.create(root, ORG1)) {
            final Path directory = network.peerDirectory(ORG1).toAbsolutePath().normalize();
            final Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), LockProbe.class.getName(), directory.toString())
                    .redirectErrorStream(true).start();
            final String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(probe.exitValue()).as(output).isEqualTo(3);
            assertThat(output).contains("peer data directory " + directory + " is in use by process "
                    + ProcessHandle.current().pid());
        }
    }

    @Test
    void codePackagesACrashedRunLeftAreDeletedWhenThePeerOpens(@TempDir final Path root) throws Exception {
        try (TestNetwork network = TestNetwork.create(root, ORG1)) {
            final Path packages = network.peerDirectory(ORG1).resolve("chaincode-packages");
            network.peer(0).close();
            final Path stale = Files.createDirectories(packages.resolve("kv-1.0-1"));
            Files.write(stale.resolve("kv.jar"), new byte[] {1, 2, 3});
            try (Peer reopened = network.peerBuilder(ORG1).open()) {
                assertThat(LeakCheck.entries(packages)).as("stale launch directories").isEmpty();
            }
        }
    }

    @Test
    void joiningIsPersistedIdempotentAndChecked(@TempDir final Path root) {
        try (TestNetwork network = TestNetwork.create(root, ORG1)) {
            final Peer peer = network.peer(0);
            final PeerChannel channel = peer.channel(TestNetwork.CHANNEL).orElseThrow();
            assertThat(peer.joinChannel(network.genesisBlock())).isSameAs(channel);
            assertThat(Files.exists(network.peerDirectory(ORG1).resolve("channels")
                    .resolve(TestNetwork.CHANNEL + ".genesis.block"))).isTrue();
            assertThat(channel.ledger().blockStore().blockByNumber(0)).isPresent();

            final Block otherGenesis = ChannelProfile.builder(TestNetwork.CHANNEL)
                    .applicationOrganization(ORG1.mspConfig()).ordererOrganization(ORDERER_ORG.mspConfig())
                    .build().genesisBlock();
            assertThatThrownBy(() -> peer.joinChannel(otherGenesis))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("already joined channel mychannel with a different genesis block");

            final Block unknown = ChannelProfile.builder("nowhere")
                    .applicationOrganization(ORG1.mspConfig()).ordererOrganization(ORDERER_ORG.mspConfig())
                    .build().genesisBlock();
            assertThatThrownBy(() -> peer.joinChannel(unknown))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("channel nowhere does not exist at the ordering service; create it there before "
                            + "joining");
            assertThat(peer.channels()).containsExactly(TestNetwork.CHANNEL);
            assertThat(Files.exists(network.peerDirectory(ORG1).resolve("channels").resolve("nowhere.genesis.block")))
                    .isFalse();

            assertThatThrownBy(() -> peer.joinChannel(Block.getDefaultInstance()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not a valid genesis block: ");
        }
    }

    @Test
    void joiningByIdFetchesTheGenesisBlockFromTheOrderer(@TempDir final Path root) {
        try (TestNetwork network = TestNetwork.create(root, ORG1);
             Peer org2 = network.peerBuilder(ORG2).open()) {
            final PeerChannel channel = org2.joinChannel(TestNetwork.CHANNEL);
            assertThat(channel.genesisBlock()).isEqualTo(network.genesisBlock());
            assertThat(channel.height()).isEqualTo(1);
            assertThat(org2.joinChannel(TestNetwork.CHANNEL)).isSameAs(channel);
            assertThatThrownBy(() -> org2.joinChannel("nowhere"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot join channel nowhere: ");
        }
    }

    @Test
    void aReopenedPeerCatchesUpWithBlocksOrderedWhileItWasClosed(@TempDir final Path root) {
        try (TestNetwork network = TestNetwork.create(root, ORG1, ORG2)) {
            try (Gateway admin1 = network.gateway(ORG1.signer(NodeRole.ADMIN), network.peer(0))) {
                admin1.install(ExampleJars.jar("kv"), "kv", "1.0");
                admin1.network(TestNetwork.CHANNEL).instantiate("kv", "1.0", List.of("init"), null);
            }
            final Path org2Directory = network.peerDirectory(ORG2);
            network.peer(1).close();
            final long height;
            try (Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT), network.peer(0))) {
                client.network(TestNetwork.CHANNEL).contract("kv").submit("put", "k", "v");
                height = network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().height();
            }
            try (Peer org2 = network.peerBuilder(ORG2).open()) {
                assertThat(org2.dataDirectory()).isEqualTo(org2Directory.toAbsolutePath().normalize());
                final PeerChannel channel = org2.channel(TestNetwork.CHANNEL).orElseThrow();
                final String txId = network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().ledger().blockStore()
                        .blockByNumber(height - 1).map(b -> txIdOf(b)).orElseThrow();
                assertThat(channel.transactionStatus(txId).join().code()).isEqualTo(TxValidationCode.VALID);
            }
        }
    }

    @Test
    void blocksWaitingAtTheOrdererAreCommittedTogetherWithTheOutcomeOfOneAtATime(@TempDir final Path root)
            throws Exception {
        try (TestNetwork network = TestNetwork.create(root, ORG1, ORG2)) {
            final PeerChannel live = network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow();
            try (Gateway admin1 = network.gateway(ORG1.signer(NodeRole.ADMIN), network.peer(0))) {
                admin1.install(ExampleJars.jar("kv"), "kv", "1.0");
                admin1.network(TestNetwork.CHANNEL).instantiate("kv", "1.0", List.of("init"), null);
            }
            network.peer(1).close();
            final List<String> txIds = new ArrayList<>();
            try (Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT), network.peer(0))) {
                for (int i = 0; i < 5; i++) {
                    txIds.add(client.network(TestNetwork.CHANNEL).contract("kv")
                            .submitTransaction("put", "k" + i, "v" + i).txId());
                }
            }
            // the first put ordered again: its block is committed with DUPLICATE_TXID
            final long duplicateBlock = live.height();
            final CompletableFuture<CommittedBlock> duplicate = new CompletableFuture<>();
            live.onBlock(block -> {
                if (block.number() == duplicateBlock) {
                    duplicate.complete(block);
                }
            });
            final Block firstPut = live.ledger().blockStore().blockByNumber(duplicateBlock - 5).orElseThrow();
            network.orderer().broadcast(Envelope.parseFrom(firstPut.getData().getData(0)));
            assertThat(duplicate.get(30, TimeUnit.SECONDS).transactions()).extracting(CommittedTransaction::code)
                    .containsExactly(TxValidationCode.DUPLICATE_TXID);

            // the reopened peer finds 6 blocks waiting: they are delivered and committed as batches
            try (Peer org2 = network.peerBuilder(ORG2).open()) {
                final PeerChannel catchingUp = org2.channel(TestNetwork.CHANNEL).orElseThrow();
                for (final String txId : txIds) {
                    assertThat(catchingUp.transactionStatus(txId).get(30, TimeUnit.SECONDS).code())
                            .isEqualTo(TxValidationCode.VALID);
                }
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (catchingUp.height() <= duplicateBlock && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(catchingUp.height()).isEqualTo(live.height());
                for (long n = 0; n < live.height(); n++) {
                    // same data, same TRANSACTIONS_FILTER codes, same metadata
                    assertThat(catchingUp.ledger().blockStore().blockByNumber(n))
                            .as("block %d", n).isEqualTo(live.ledger().blockStore().blockByNumber(n));
                }
                assertThat(catchingUp.failure()).isEmpty();
                assertThat(catchingUp.isFollowing()).isTrue();
            }
        }
    }

    @Test
    void closeReleasesEverythingAndIsIdempotent(@TempDir final Path root) throws Exception {
        final TestNetwork network = TestNetwork.create(root, ORG1, ORG2);
        try (Gateway admin = network.gateway(ORG1.signer(NodeRole.ADMIN), network.peer(0))) {
            admin.install(ExampleJars.jar("kv"), "kv", "1.0");
            admin.network(TestNetwork.CHANNEL).instantiate("kv", "1.0", List.of("init"), null);
            admin.network(TestNetwork.CHANNEL).contract("kv").submit("put", "k", "v");
        }
        assertThat(LeakCheck.liveChildren()).as("the chaincode runs").isNotEmpty();
        final Peer peer = network.peer(0);
        network.close();
        peer.close();
        LeakCheck.threadsNamed("chaincode-", "ipc-", "orderer-", "solo-orderer-", "committer-", "peer-")
                .assertNothingLeft(network.peerDirectory(ORG1).resolve("chaincode-channels"),
                network.peerDirectory(ORG2).resolve("chaincode-channels"),
                network.peerDirectory(ORG1).resolve("chaincode-packages"));
        assertThatThrownBy(() -> peer.joinChannel(network.genesisBlock())).isInstanceOf(IllegalStateException.class)
                .hasMessage("peer peer0.org1.example.com is closed");
        assertThatThrownBy(() -> peer.channel(TestNetwork.CHANNEL).orElseThrow().height())
                .isInstanceOf(java.util.NoSuchElementException.class);
    }

    private static String txIdOf(final Block block) {
        try {
            final var envelope = org.hyperledger.fabric.protos.common.Envelope.parseFrom(block.getData().getData(0));
            final var payload = org.hyperledger.fabric.protos.common.Payload.parseFrom(envelope.getPayload());
            return org.hyperledger.fabric.protos.common.ChannelHeader.parseFrom(payload.getHeader().getChannelHeader())
                    .getTxId();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
