package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.crypto.Sha256;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Fabric's transaction id: {@code lowercase_hex(H(nonce ‖ creator))} ({@code ComputeTxID}). Binding the id to the
 * nonce and the creator's serialized identity is what lets the endorser and the committer detect a replayed or
 * forged id without any other state. Stateless.
 */
public final class TxId {

    private TxId() {
    }

    /** The transaction id of a proposal whose signature header holds {@code nonce} and {@code creator}. */
    public static String compute(final ByteString nonce, final ByteString creator) {
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(creator, "creator");
        final MessageDigest md = Sha256.newDigest();
        Sha256.update(md, nonce);
        Sha256.update(md, creator);
        return HexFormat.of().formatHex(md.digest());
    }
}
