package dev.fabricembedded.ledger.block;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockHashesTest {

    private static byte[] filled(final int length, final int value) {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static BlockHeader header(final long number, final byte[] previous, final byte[] data) {
        return BlockHeader.newBuilder().setNumber(number).setPreviousHash(ByteString.copyFrom(previous))
                .setDataHash(ByteString.copyFrom(data)).build();
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(final int... values) {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void headerBytesAreTheHandAssembledDerSequence() throws Exception {
        final byte[] previous = filled(32, 0x01);
        final byte[] data = filled(32, 0x02);
        // SEQUENCE(71) { INTEGER(1) 01, OCTET STRING(32) 01.., OCTET STRING(32) 02.. }
        final byte[] expected = concat(bytes(0x30, 0x47, 0x02, 0x01, 0x01, 0x04, 0x20), previous,
                bytes(0x04, 0x20), data);

        assertThat(BlockHashes.headerBytes(header(1, previous, data))).isEqualTo(expected);
        assertThat(BlockHashes.headerHash(header(1, previous, data)))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(expected));
    }

    @Test
    void genesisHeaderHasAnEmptyOctetStringAndIntegerZero() {
        final byte[] data = filled(32, 0xAB);
        final byte[] expected = concat(bytes(0x30, 0x27, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x20), data);

        assertThat(BlockHashes.headerBytes(header(0, new byte[0], data))).isEqualTo(expected);
    }

    @Test
    void integersAreMinimalTwosComplement() {
        assertThat(integerOf(127)).isEqualTo(bytes(0x02, 0x01, 0x7F));
        assertThat(integerOf(128)).isEqualTo(bytes(0x02, 0x02, 0x00, 0x80));
        assertThat(integerOf(256)).isEqualTo(bytes(0x02, 0x02, 0x01, 0x00));
        assertThat(integerOf(Long.MAX_VALUE))
                .isEqualTo(bytes(0x02, 0x08, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    }

    private static byte[] integerOf(final long number) {
        final byte[] der = BlockHashes.headerBytes(header(number, new byte[0], new byte[0]));
        // skip the SEQUENCE tag and length, cut before the two empty OCTET STRINGs
        return Arrays.copyOfRange(der, 2, der.length - 4);
    }

    @Test
    void longContentUsesTheLongLengthForm() {
        final byte[] previous = filled(200, 0x07);
        final byte[] data = filled(32, 0x02);
        // 3 + (3 + 200) + 34 = 240 bytes of content: SEQUENCE length 0x81 0xF0, OCTET STRING length 0x81 0xC8
        final byte[] expected = concat(bytes(0x30, 0x81, 0xF0, 0x02, 0x01, 0x05, 0x04, 0x81, 0xC8), previous,
                bytes(0x04, 0x20), data);

        assertThat(BlockHashes.headerBytes(header(5, previous, data))).isEqualTo(expected);
    }

    @Test
    void matchesAHashCapturedFromARealFabricNetwork() {
        // GetChainInfo of a Fabric 2.5 peer at height 29 (the header encoding is unchanged since 1.4)
        final HexFormat hex = HexFormat.of();
        final BlockHeader header = header(28,
                hex.parseHex("003ef1053b17f9cf286bd087f03dbd72cddb7c1fb8f2e680128c32e5c6db6b8d"),
                hex.parseHex("9cd1500e262501b40b0c9c7dba2dc17fd7282d3b9f91c04f26f6564d774d3655"));

        assertThat(hex.formatHex(BlockHashes.headerHash(header)))
                .isEqualTo("5f896f60ee4a5a755dacd92ba162a707299621442683754c2469de8a123c43da");
    }

    @Test
    void numbersAboveInt64AreRefusedAsFabricPanics() {
        assertThatThrownBy(() -> BlockHashes.headerBytes(header(-1, new byte[0], new byte[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("18446744073709551615");
    }

    @Test
    void dataHashIsSha256OfTheConcatenatedEnvelopes() throws Exception {
        final BlockData data = BlockData.newBuilder().addData(ByteString.copyFromUtf8("first"))
                .addData(ByteString.copyFromUtf8("second")).build();

        assertThat(BlockHashes.dataHash(data))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest("firstsecond".getBytes()));
        assertThat(BlockHashes.dataHash(BlockData.getDefaultInstance()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    }
}
