package dev.fabricembedded.orderer.block;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockStore;
import dev.fabricembedded.ledger.block.HashCheckedBlock;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.orderer.block.BlockVerificationResult.Code;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Metadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** §5.5: what a peer checks on a delivered block. */
class BlockVerifierTest {

    private final TestNetwork net = TestNetwork.get();

    @TempDir
    Path dir;

    private Block genesis;
    private Block block1;
    private BlockVerifier verifier;

    @BeforeEach
    void chain() {
        genesis = net.profile("verify").build().genesisBlock();
        verifier = BlockVerifier.forChannel(ChannelConfig.fromGenesisBlock(genesis));
        try (BlockStore store = BlockStore.builder(dir.resolve("chain")).indexEntries(1024).open()) {
            store.append(genesis);
            block1 = new BlockWriter(store, new BlockSigner(net.ordererSigner()))
                    .write(List.of(net.envelope("verify", net.client(), 40), net.envelope("verify", net.client(), 2)));
        }
    }

    @Test
    void anOrdererSignedBlockIsValid() throws Exception {
        assertThat(verifier.verify(block1, 1)).isEqualTo(BlockVerificationResult.valid());
        ByteString genesisHash = ByteString.copyFrom(BlockWriterTest.sha256(BlockWriterTest.der(genesis.getHeader())));
        assertThat(verifier.verify(block1, 1, genesisHash).isValid()).isTrue();
    }

    @Test
    void wrongNumberOrChannelIsRejectedWithFabricTexts() {
        assertResult(verifier.verify(block1, 2), Code.WRONG_NUMBER,
                "Claimed seqNum is [2] but actual seqNum inside block is [1]");
        BlockVerifier other = new BlockVerifier("other",
                ChannelConfig.fromGenesisBlock(genesis).policy("/Channel/Orderer/BlockValidation"));
        assertResult(other.verify(block1, 1), Code.WRONG_CHANNEL,
                "Invalid block's channel id. Expected [other]. Given [verify]");
        assertResult(verifier.verify(Block.getDefaultInstance(), 1), Code.MISSING_HEADER,
                "Invalid Block on channel [verify]. Header must be different from nil.");
        assertResult(verifier.verify(block1.toBuilder().setData(BlockData.getDefaultInstance()).build(), 1),
                Code.MALFORMED_CHANNEL_HEADER, "Failed getting channel id from block with id [1] on channel [verify]: "
                        + "[failed to retrieve channel id - block is empty]");
    }

    @Test
    void missingOrMalformedMetadataIsRejected() {
        assertResult(verifier.verify(block1.toBuilder().clearMetadata().build(), 1), Code.MISSING_METADATA,
                "Block with id [1] on channel [verify] does not have metadata. Block not valid.");
        Block garbage = block1.toBuilder().setMetadata(block1.getMetadata().toBuilder()
                .setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, ByteString.copyFrom(new byte[] {(byte) 0xff, 1})))
                .build();
        assertThat(verifier.verify(garbage, 1).code()).isEqualTo(Code.MALFORMED_METADATA);
        Block badSignatureHeader = withSignatures(block1, signatures(block1).toBuilder()
                .setSignatures(0, signatures(block1).getSignatures(0).toBuilder()
                        .setSignatureHeader(ByteString.copyFrom(new byte[] {(byte) 0xff, 1}))).build());
        assertThat(verifier.verify(badSignatureHeader, 1).code()).isEqualTo(Code.MALFORMED_METADATA);
        assertThat(verifier.verify(badSignatureHeader, 1).message())
                .startsWith("Failed unmarshalling signature header for block with id [1] on channel [verify]");
    }

    @Test
    void aBlockWhoseDataHashWasCheckedGetsTheSameResultsWithoutItsDataHashedAgain() throws Exception {
        ByteString genesisHash = ByteString.copyFrom(BlockWriterTest.sha256(BlockWriterTest.der(genesis.getHeader())));
        HashCheckedBlock checked = HashCheckedBlock.of(block1);
        assertThat(verifier.verify(checked, 1, genesisHash)).isEqualTo(BlockVerificationResult.valid());
        assertResult(verifier.verify(checked, 2, genesisHash), Code.WRONG_NUMBER,
                "Claimed seqNum is [2] but actual seqNum inside block is [1]");
        assertThat(verifier.verify(checked, 1, ByteString.copyFrom(new byte[32])).code())
                .isEqualTo(Code.WRONG_PREVIOUS_HASH);
        Block byPeer = new BlockSigner(net.org1.signer(NodeRole.PEER)).sign(block1, 0);
        assertThat(verifier.verify(HashCheckedBlock.of(byPeer), 1, genesisHash).code())
                .isEqualTo(Code.SIGNATURES_NOT_SATISFIED);
        assertThat(verifier.verify(HashCheckedBlock.of(block1.toBuilder().clearMetadata().build()), 1, null).code())
                .isEqualTo(Code.MISSING_METADATA);
    }

    @Test
    void tamperedDataOrChainLinkIsRejected() {
        Block tampered = block1.toBuilder().setData(block1.getData().toBuilder().setData(1,
                net.envelope("verify", net.client(), 2).toByteString())).build();
        assertResult(verifier.verify(tampered, 1), Code.DATA_HASH_MISMATCH,
                "Header.DataHash is different from Hash(block.Data) for block with id [1] on channel [verify]");
        assertThat(verifier.verify(block1, 1, ByteString.copyFrom(new byte[32])).code())
                .isEqualTo(Code.WRONG_PREVIOUS_HASH);
    }

    @Test
    void signaturesMustSatisfyBlockValidation() {
        Block byPeer = new BlockSigner(net.org1.signer(NodeRole.PEER)).sign(block1, 0);
        assertResult(verifier.verify(byPeer, 1), Code.SIGNATURES_NOT_SATISFIED,
                "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of "
                        + "the 'Writers' sub-policies to be satisfied");
        Block unsigned = withSignatures(block1, signatures(block1).toBuilder().clearSignatures().build());
        assertThat(verifier.verify(unsigned, 1).code()).isEqualTo(Code.SIGNATURES_NOT_SATISFIED);
        // a header changed after signing: the signature no longer covers it
        Block relinked = block1.toBuilder().setHeader(block1.getHeader().toBuilder()
                .setPreviousHash(ByteString.copyFrom(new byte[32]))).build();
        assertThat(verifier.verify(relinked, 1).code()).isEqualTo(Code.SIGNATURES_NOT_SATISFIED);
        // a forged value (e.g. another last config index) breaks the signature too
        Block forgedValue = withSignatures(block1, signatures(block1).toBuilder()
                .setValue(ByteString.copyFromUtf8("forged")).build());
        assertThat(verifier.verify(forgedValue, 1).code()).isEqualTo(Code.SIGNATURES_NOT_SATISFIED);
        // an extra signature by a non-orderer does not hurt
        Metadata both = signatures(block1).toBuilder().addSignatures(signatures(byPeer).getSignatures(0)).build();
        assertThat(verifier.verify(withSignatures(block1, both), 1).isValid()).isTrue();
    }

    private static Metadata signatures(Block block) {
        try {
            return Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Block withSignatures(Block block, Metadata signatures) {
        return block.toBuilder().setMetadata(block.getMetadata().toBuilder()
                .setMetadata(BlockMetadataIndex.SIGNATURES_VALUE, signatures.toByteString())).build();
    }

    private static void assertResult(BlockVerificationResult result, Code code, String message) {
        assertThat(result.code()).isEqualTo(code);
        assertThat(result.message()).isEqualTo(message);
        assertThat(result.isValid()).isFalse();
    }
}
