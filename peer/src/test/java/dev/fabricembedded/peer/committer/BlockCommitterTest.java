package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterNetwork.AND_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.ledger.block.TxValidationFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer's happy path: genesis, deploy through lscc, an endorsed invoke with its event, the stored block. */
class BlockCommitterTest {

    @TempDir
    Path dir;

    private CommitterNetwork net;

    @BeforeEach
    void open() {
        net = new CommitterNetwork(dir);
    }

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void genesisIsCommittedAsTheChannelsFirstBlock() {
        assertThat(net.ledger.height()).isEqualTo(1);
        Block stored = net.ledger.blockStore().blockByNumber(0).orElseThrow();
        assertThat(TxValidationFlags.fromBlock(stored).code(0)).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void deployThenEndorsedInvokeAreValidAndCarryTheEvent() {
        CommittedBlock deployed = net.commit(deploy("mycc", "1.0", AND_POLICY).build());
        assertThat(deployed.transactions()).singleElement()
                .satisfies(tx -> assertThat(tx.code()).as(tx.message()).isEqualTo(TxValidationCode.VALID));
        assertThat(net.state("lscc", "mycc")).isNotNull();

        var envelope = invoke("mycc", "1.0").writes("mycc", "a", "100").event("moved", "a->b").build();
        CommittedBlock block = net.commit(envelope);

        assertThat(block.number()).isEqualTo(2);
        CommittedTransaction tx = block.transactions().get(0);
        assertThat(tx.code()).as(tx.message()).isEqualTo(TxValidationCode.VALID);
        assertThat(tx.message()).isEmpty();
        assertThat(tx.txId()).hasSize(64);
        assertThat(tx.chaincodeEvent()).hasValueSatisfying(event -> {
            assertThat(event.getEventName()).isEqualTo("moved");
            assertThat(event.getPayload().toStringUtf8()).isEqualTo("a->b");
        });
        assertThat(new String(net.state("mycc", "a"), StandardCharsets.UTF_8)).isEqualTo("100");
        Block stored = net.ledger.blockStore().blockByNumber(2).orElseThrow();
        assertThat(stored).isEqualTo(block.block());
        assertThat(stored.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(TxValidationFlags.fromBlock(stored).code(0)).isEqualTo(TxValidationCode.VALID);
        assertThat(net.ledger.transactionById(tx.txId())).isPresent();
    }
}
