package dev.fabricembedded.gateway;

import dev.fabricembedded.ledger.block.TransactionRecord;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.peer.ExampleJars;
import dev.fabricembedded.peer.Peer;
import dev.fabricembedded.peer.TestNetwork;
import dev.fabricembedded.shim.testing.LeakCheck;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.fabricembedded.peer.TestNetwork.ORG1;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed flow end to end through the gateway, with the peer and the orderer closed and reopened from their
 * directories between every step: install example02, instantiate it (Init a=100 b=200), move 10 from a to b, query.
 */
class SeedFlowTest {

    @Test
    void seedFlowSurvivesARestartBetweenEveryStep(@TempDir final Path root) {
        try (TestNetwork network = TestNetwork.create(root, ORG1)) {
            assertThat(network.peer(0).channel(TestNetwork.CHANNEL).orElseThrow().height()).isEqualTo(1);

            // install
            try (Gateway admin = network.gateway(ORG1.signer(NodeRole.ADMIN))) {
                admin.install(ExampleJars.jar("example02"), "mycc", "1.0");
            }
            network.restart();
            assertThat(network.peer(0).packages().get("mycc", "1.0")).isPresent();
            assertThat(network.peer(0).channels()).containsExactly(TestNetwork.CHANNEL);

            // instantiate: LSCC deploy + Init, ordered and committed in block 1
            final SubmitResult instantiated;
            try (Gateway admin = network.gateway(ORG1.signer(NodeRole.ADMIN))) {
                instantiated = admin.network(TestNetwork.CHANNEL)
                        .instantiate("mycc", "1.0", List.of("init", "a", "100", "b", "200"), null);
            }
            assertThat(instantiated.code()).isEqualTo(TxValidationCode.VALID);
            assertThat(instantiated.blockNumber()).isEqualTo(1);
            network.restart();
            assertThat(height(network.peer(0))).isEqualTo(2);
            assertThat(record(network.peer(0), instantiated.txId()).validationCode()).isEqualTo(TxValidationCode.VALID);

            // invoke: the chaincode is relaunched on demand after the restart
            assertThat(LeakCheck.liveChildren()).as("no chaincode runs before it is invoked").isEmpty();
            final SubmitResult moved;
            try (Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT))) {
                moved = client.network(TestNetwork.CHANNEL).contract("mycc").submitTransaction("move", "a", "b", "10");
            }
            assertThat(moved.code()).isEqualTo(TxValidationCode.VALID);
            assertThat(moved.blockNumber()).isEqualTo(2);
            assertThat(LeakCheck.liveChildren()).as("the invoke relaunched the chaincode").hasSize(1);
            assertThat(moved.endorseTime()).isPositive();
            assertThat(moved.orderAndCommitTime()).isPositive();
            network.restart();
            assertThat(height(network.peer(0))).isEqualTo(3);
            final TransactionRecord move = record(network.peer(0), moved.txId());
            assertThat(move.blockNumber()).isEqualTo(2);
            assertThat(move.validationCode()).isEqualTo(TxValidationCode.VALID);

            // query
            try (Gateway client = network.gateway(ORG1.signer(NodeRole.CLIENT))) {
                final Contract contract = client.network(TestNetwork.CHANNEL).contract("mycc");
                assertThat(utf8(contract.evaluate("query", "a"))).isEqualTo("90");
                assertThat(utf8(contract.evaluate("query", "b"))).isEqualTo("210");
            }
            assertThat(height(network.peer(0))).as("queries are not ordered").isEqualTo(3);
        }
    }

    private static long height(final Peer peer) {
        return peer.channel(TestNetwork.CHANNEL).orElseThrow().height();
    }

    private static TransactionRecord record(final Peer peer, final String txId) {
        return peer.channel(TestNetwork.CHANNEL).orElseThrow().ledger().transactionById(txId).orElseThrow();
    }

    private static String utf8(final byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
