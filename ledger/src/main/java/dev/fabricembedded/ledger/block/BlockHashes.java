package dev.fabricembedded.ledger.block;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Fabric 1.4's block hashing (fabric-1.4-flow.md §5.4), shared by the ledger, the orderer and the committer.
 *
 * <ul>
 *   <li>header bytes = DER {@code SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }}
 *   (Go's {@code asn1.Marshal} of the header, {@code BlockHeader.Bytes()});</li>
 *   <li>block hash = SHA-256(header bytes); the next block's {@code previous_hash} is this value;</li>
 *   <li>data hash = SHA-256 of the envelopes concatenated in order (a flat hash, not a Merkle tree).</li>
 * </ul>
 * The few DER rules needed are written out here rather than pulling in an ASN.1 library. Stateless.
 */
public final class BlockHashes {
    private static final int TAG_INTEGER = 0x02;
    private static final int TAG_OCTET_STRING = 0x04;
    private static final int TAG_SEQUENCE = 0x30;

    private BlockHashes() {
    }

    /**
     * The DER encoding of a header, as Fabric hashes and signs it.
     *
     * @throws IllegalArgumentException if the number does not fit a signed 64-bit integer (Fabric panics)
     */
    public static byte[] headerBytes(final BlockHeader header) {
        final long number = header.getNumber();
        if (number < 0) {
            throw new IllegalArgumentException("block number " + Long.toUnsignedString(number)
                    + " is above the int64 maximum Fabric can encode");
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream(80);
        writeTlv(body, TAG_INTEGER, integerContent(number));
        writeTlv(body, TAG_OCTET_STRING, header.getPreviousHash().toByteArray());
        writeTlv(body, TAG_OCTET_STRING, header.getDataHash().toByteArray());
        final ByteArrayOutputStream sequence = new ByteArrayOutputStream(body.size() + 4);
        writeTlv(sequence, TAG_SEQUENCE, body.toByteArray());
        return sequence.toByteArray();
    }

    /** SHA-256 of {@link #headerBytes}: the block's hash, and the next block's {@code previous_hash}. */
    public static byte[] headerHash(final BlockHeader header) {
        return sha256().digest(headerBytes(header));
    }

    /** The hash of a block, i.e. of its header. */
    public static byte[] blockHash(final Block block) {
        return headerHash(block.getHeader());
    }

    /** SHA-256 over the concatenated envelopes of a block: the value {@code data_hash} must carry. */
    public static byte[] dataHash(final BlockData data) {
        final MessageDigest digest = sha256();
        for (ByteString envelope : data.getDataList()) {
            digest.update(envelope.asReadOnlyByteBuffer());
        }
        return digest.digest();
    }

    private static byte[] integerContent(final long value) {
        // BigInteger gives the minimal two's-complement big-endian form DER requires (0 -> 00, 128 -> 00 80)
        return BigInteger.valueOf(value).toByteArray();
    }

    private static void writeTlv(final ByteArrayOutputStream out, final int tag, final byte[] content) {
        out.write(tag);
        final int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = 0;
            for (int v = length; v != 0; v >>>= 8) {
                bytes++;
            }
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (i * 8));
            }
        }
        out.writeBytes(content);
    }

    /** A fresh SHA-256 digest (also the transaction index's digest of over-long ids). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
