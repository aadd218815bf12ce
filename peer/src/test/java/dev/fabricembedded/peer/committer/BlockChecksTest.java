package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterAcceptanceTest.assertCodes;
import static dev.fabricembedded.peer.committer.CommitterNetwork.CHANNEL;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static dev.fabricembedded.peer.committer.CommitterNetwork.peer1;
import static dev.fabricembedded.peer.committer.CommitterNetwork.unsignedBlock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.orderer.block.BlockSigner;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** §5.5: a block failing the checks made before validation is refused and changes nothing. */
class BlockChecksTest {

    @TempDir
    Path dir;

    private CommitterNetwork net;
    private Envelope tx;
    private long height;
    private ByteString previousHash;

    @BeforeEach
    void open() {
        net = new CommitterNetwork(dir);
        assertCodes(net.commit(deploy("mycc", "1.0", OR_POLICY).build()), TxValidationCode.VALID);
        tx = invoke("mycc", "1.0").writes("mycc", "k", "v").build();
        height = net.ledger.height();
        previousHash = net.ledger.chainInfo().getCurrentBlockHash();
    }

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void aBlockNotSignedByTheOrdererIsRefused() {
        Block byPeer = new BlockSigner(peer1()).sign(unsignedBlock(height, previousHash, data(tx)), 0);

        BlockRejectedException refused = refused(byPeer);

        assertThat(refused.reason()).isEqualTo(BlockRejectedException.Reason.MALFORMED);
        assertThat(refused.getMessage()).startsWith("implicit policy evaluation failed");
        assertNothingChangedThenTheHonestBlockCommits();
    }

    @Test
    void aBlockWithTheWrongNumberIsRefused() {
        BlockRejectedException refused = refused(net.signedByOrderer(unsignedBlock(height + 1, previousHash,
                data(tx))));

        assertThat(refused.reason()).isEqualTo(BlockRejectedException.Reason.WRONG_NUMBER);
        assertThat(refused.getMessage()).isEqualTo("Claimed seqNum is [" + height
                + "] but actual seqNum inside block is [" + (height + 1) + "]");
        assertNothingChangedThenTheHonestBlockCommits();
    }

    @Test
    void aBlockWhoseDataDoesNotMatchItsDataHashIsRefused() {
        Block signed = net.nextBlock(tx);
        Envelope other = invoke("mycc", "1.0").writes("mycc", "k", "forged").build();
        Block tampered = signed.toBuilder().setData(signed.getData().toBuilder().setData(0, other.toByteString()))
                .build();

        BlockRejectedException refused = refused(tampered);

        assertThat(refused.reason()).isEqualTo(BlockRejectedException.Reason.WRONG_DATA_HASH);
        assertThat(refused.getMessage()).startsWith("Header.DataHash is different from Hash(block.Data)");
        assertNothingChangedThenTheHonestBlockCommits();
    }

    @Test
    void aBlockThatDoesNotChainOrHasNoMetadataIsRefused() {
        BlockRejectedException unchained = refused(net.signedByOrderer(unsignedBlock(height,
                ByteString.copyFrom(new byte[32]), data(tx))));
        assertThat(unchained.reason()).isEqualTo(BlockRejectedException.Reason.WRONG_PREVIOUS_HASH);

        BlockRejectedException noMetadata = refused(net.nextBlock(tx).toBuilder().clearMetadata().build());
        assertThat(noMetadata.reason()).isEqualTo(BlockRejectedException.Reason.MALFORMED);
        assertThat(noMetadata.getMessage()).endsWith("does not have metadata. Block not valid.");
        assertNothingChangedThenTheHonestBlockCommits();
    }

    @Test
    void theFirstBlockMustBeTheChannelsGenesisBlock(@TempDir Path other) {
        ChannelConfig config = ChannelConfig.fromGenesisBlock(CommitterNetwork.Orgs.GENESIS);
        try (ChannelLedger ledger = ChannelLedger.builder(other, CHANNEL).stateEntries(100).txIndexEntries(100)
                .historyEnabled(false).blockFileSize(1 << 20).open();
             BlockCommitter committer = BlockCommitter.builder().ledger(ledger).channelConfig(() -> config)
                     .validatorPoolSize(1).build()) {
            Block notGenesis = unsignedBlock(0, ByteString.EMPTY, data(tx));
            BlockRejectedException refused = catchThrowableOfType(() -> committer.commit(notGenesis),
                    BlockRejectedException.class);
            assertThat(refused.getMessage()).startsWith("the first block of channel mychannel must be its genesis"
                    + " block");
            assertThat(ledger.height()).isZero();

            CommittedBlock genesis = committer.commit(CommitterNetwork.Orgs.GENESIS);
            assertThat(genesis.number()).isZero();
            assertThat(genesis.transactions()).singleElement()
                    .satisfies(t -> assertThat(t.code()).isEqualTo(TxValidationCode.VALID));
            assertThat(ledger.height()).isEqualTo(1);
        }
    }

    private BlockRejectedException refused(Block block) {
        BlockRejectedException refused = catchThrowableOfType(() -> net.committer.commit(block),
                BlockRejectedException.class);
        assertThat(refused).as("block refused").isNotNull();
        return refused;
    }

    private void assertNothingChangedThenTheHonestBlockCommits() {
        assertThat(net.ledger.height()).isEqualTo(height);
        assertThat(net.ledger.chainInfo().getCurrentBlockHash()).isEqualTo(previousHash);
        assertThat(net.state("mycc", "k")).isNull();
        CommittedBlock committed = net.commit(tx);
        assertCodes(committed, TxValidationCode.VALID);
        assertThat(committed.number()).isEqualTo(height);
        assertThat(net.state("mycc", "k")).isEqualTo("v".getBytes());
    }

    private static List<ByteString> data(Envelope... envelopes) {
        return List.of(envelopes).stream().map(Envelope::toByteString).toList();
    }
}
