package dev.fabricembedded.msp.crypto;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the hash {@code H(x)} of Fabric's default BCCSP configuration: transaction ids, proposal hashes,
 * identity identifiers and the digests that ECDSA signs all use it.
 *
 * <p>Each call works on its own {@link MessageDigest}, cloned from a prototype that is never updated (cloning
 * avoids the provider lookup of {@code getInstance}), so the class holds no mutable state and is safe from any
 * thread.
 */
public final class Sha256 {

    /** Length of a SHA-256 digest in bytes. */
    public static final int DIGEST_LENGTH = 32;

    private static final MessageDigest PROTOTYPE = newDigest();

    private Sha256() {
    }

    /** Returns a fresh SHA-256 {@link MessageDigest} for incremental hashing. */
    public static MessageDigest newDigest() {
        if (PROTOTYPE != null) {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                // fall through to a provider lookup
            }
        }
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** {@code H(data)}. */
    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** {@code H(data)} without copying the bytes out of the {@link ByteString}. */
    public static byte[] digest(ByteString data) {
        MessageDigest md = newDigest();
        update(md, data);
        return md.digest();
    }

    /** {@code H(part1 ‖ part2 ‖ ...)}: the hash of the concatenation, without building it. */
    public static byte[] digest(byte[]... parts) {
        MessageDigest md = newDigest();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    /** Lower-case hex of {@code H(data)}, the form Fabric uses for transaction and identity ids. */
    public static String hexDigest(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    /** Feeds a {@link ByteString} to a digest through its read-only buffers (no copy for flat strings). */
    public static void update(MessageDigest md, ByteString data) {
        for (ByteBuffer buffer : data.asReadOnlyByteBufferList()) {
            md.update(buffer);
        }
    }
}
