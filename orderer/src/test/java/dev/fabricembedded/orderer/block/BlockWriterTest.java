package dev.fabricembedded.orderer.block;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockStore;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.orderer.testing.TestNetwork;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Block construction of §5.4, with the expected hashes computed independently here (BouncyCastle's DER encoder and
 * the JDK's SHA-256) rather than with the ledger's {@code BlockHashes}.
 */
class BlockWriterTest {

    private final TestNetwork net = TestNetwork.get();

    @TempDir
    Path dir;

    @Test
    void blocksChainSignAndCarryLastConfigAsFabric141() throws Exception {
        Block genesis = net.profile("kat").build().genesisBlock();
        SigningIdentity orderer = net.ordererSigner();
        List<Envelope> batch1 = List.of(net.envelope("kat", net.client(), 100), net.envelope("kat", net.client(), 7));
        List<Envelope> batch2 = List.of(net.envelope("kat", net.client(), 33));
        Block block1;
        Block block2;
        try (BlockStore store = BlockStore.builder(dir).indexEntries(1024).open()) {
            store.append(genesis);
            BlockWriter writer = new BlockWriter(store, new BlockSigner(orderer));
            assertThat(writer.height()).isEqualTo(1);
            block1 = writer.write(batch1);
            block2 = writer.write(batch2);
            assertThat(writer.height()).isEqualTo(3);
            assertThat(store.height()).isEqualTo(3);
            assertThat(store.blockByNumber(1)).contains(block1);
            assertThat(store.blockByNumber(2)).contains(block2);
        }

        // header fields
        assertThat(block1.getHeader().getNumber()).isEqualTo(1);
        assertThat(block1.getHeader().getPreviousHash().toByteArray()).isEqualTo(sha256(der(genesis.getHeader())));
        assertThat(block1.getHeader().getDataHash().toByteArray())
                .isEqualTo(sha256(concat(batch1.get(0).toByteArray(), batch1.get(1).toByteArray())));
        assertThat(block1.getData().getDataList()).containsExactly(batch1.get(0).toByteString(),
                batch1.get(1).toByteString());
        assertThat(block2.getHeader().getNumber()).isEqualTo(2);
        assertThat(block2.getHeader().getPreviousHash().toByteArray()).isEqualTo(sha256(der(block1.getHeader())));
        assertThat(block2.getHeader().getDataHash().toByteArray()).isEqualTo(sha256(batch2.get(0).toByteArray()));

        // metadata
        byte[] nonce1 = assertSignedMetadata(block1, orderer);
        byte[] nonce2 = assertSignedMetadata(block2, orderer);
        assertThat(nonce1).isNotEqualTo(nonce2);
    }

    /** Checks LAST_CONFIG and SIGNATURES and returns the signature nonce. */
    private static byte[] assertSignedMetadata(Block block, SigningIdentity orderer) throws Exception {
        assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
        Metadata lastConfig = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.LAST_CONFIG_VALUE));
        assertThat(LastConfig.parseFrom(lastConfig.getValue()).getIndex()).isZero();
        assertThat(lastConfig.getSignaturesCount()).isZero();
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).isEmpty()).isTrue();
        assertThat(block.getMetadata().getMetadata(BlockMetadataIndex.ORDERER_VALUE).isEmpty()).isTrue();

        Metadata signatures = Metadata.parseFrom(block.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE));
        OrdererBlockMetadata value = OrdererBlockMetadata.parseFrom(signatures.getValue());
        assertThat(value.getLastConfig().getIndex()).isZero();
        assertThat(value.getConsenterMetadata().isEmpty()).isTrue();
        assertThat(signatures.getSignaturesCount()).isEqualTo(1);
        MetadataSignature signature = signatures.getSignatures(0);
        SignatureHeader header = SignatureHeader.parseFrom(signature.getSignatureHeader());
        assertThat(header.getCreator()).isEqualTo(orderer.serialized());
        assertThat(header.getNonce().size()).isEqualTo(24);
        byte[] signed = concat(signatures.getValue().toByteArray(), signature.getSignatureHeader().toByteArray(),
                der(block.getHeader()));
        assertThat(orderer.verify(signed, signature.getSignature().toByteArray()).isValid()).isTrue();
        byte[] other = signed.clone();
        other[other.length - 1] ^= 1;
        assertThat(orderer.verify(other, signature.getSignature().toByteArray()).isValid()).isFalse();
        return header.getNonce().toByteArray();
    }

    @Test
    void aWriterOnAReopenedStoreContinuesTheChain() throws Exception {
        Block genesis = net.profile("reopen").build().genesisBlock();
        Block first;
        try (BlockStore store = BlockStore.builder(dir).indexEntries(1024).open()) {
            store.append(genesis);
            first = new BlockWriter(store, new BlockSigner(net.ordererSigner()))
                    .write(List.of(net.envelope("reopen", net.client(), 5)));
        }
        try (BlockStore store = BlockStore.builder(dir).indexEntries(1024).open()) {
            BlockWriter writer = new BlockWriter(store, new BlockSigner(net.ordererSigner()));
            assertThat(writer.lastBlock()).isEqualTo(first);
            assertThat(writer.lastConfigIndex()).isZero();
            Block second = writer.write(List.of(net.envelope("reopen", net.client(), 5)));
            assertThat(second.getHeader().getNumber()).isEqualTo(2);
            assertThat(second.getHeader().getPreviousHash().toByteArray()).isEqualTo(sha256(der(first.getHeader())));
        }
    }

    @Test
    void lastConfigIndexIsReadFromMetadata() {
        Block genesis = net.profile("lci").build().genesisBlock();
        assertThat(BlockWriter.lastConfigIndex(genesis)).isZero();
        Block signed = new BlockSigner(net.ordererSigner()).sign(Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(9)).build(), 4);
        assertThat(BlockWriter.lastConfigIndex(signed)).isEqualTo(4);
        assertThatThrownBy(() -> BlockWriter.lastConfigIndex(Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(3)).build()))
                .hasMessage("block 3 has no LAST_CONFIG metadata");
    }

    @Test
    void aChainStartsWithItsGenesisBlock() {
        try (BlockStore store = BlockStore.builder(dir).indexEntries(1024).open()) {
            assertThatThrownBy(() -> new BlockWriter(store, new BlockSigner(net.ordererSigner())))
                    .isInstanceOf(IllegalStateException.class).hasMessage("the chain has no genesis block");
        }
    }

    @Test
    void signerKeepsTheOrdererSlotAsConsenterMetadata() throws Exception {
        ByteString consenter = Metadata.newBuilder().setValue(ByteString.copyFromUtf8("kafka offsets")).build()
                .toByteString();
        Block block = Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(5))
                .setMetadata(org.hyperledger.fabric.protos.common.BlockMetadata.newBuilder()
                        .addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                        .addMetadata(consenter))
                .build();
        Block signed = new BlockSigner(net.ordererSigner()).sign(block, 2);
        assertThat(signed.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(signed.getMetadata().getMetadata(BlockMetadataIndex.ORDERER_VALUE)).isEqualTo(consenter);
        OrdererBlockMetadata value = OrdererBlockMetadata.parseFrom(Metadata.parseFrom(
                signed.getMetadata().getMetadata(BlockMetadataIndex.SIGNATURES_VALUE)).getValue());
        assertThat(value.getConsenterMetadata()).isEqualTo(consenter);
        assertThat(value.getLastConfig().getIndex()).isEqualTo(2);
    }

    /** {@code asn1.Marshal(struct{Number *big.Int; PreviousHash, DataHash []byte})}, by BouncyCastle. */
    static byte[] der(BlockHeader header) throws Exception {
        return new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(BigInteger.valueOf(header.getNumber())),
                new DEROctetString(header.getPreviousHash().toByteArray()),
                new DEROctetString(header.getDataHash().toByteArray())}).getEncoded();
    }

    static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
