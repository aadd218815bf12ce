package dev.fabricembedded.msp.crypto;

import java.math.BigInteger;
import java.util.Objects;

/**
 * An ECDSA signature {@code (r, s)} and its DER form {@code SEQUENCE { INTEGER r, INTEGER s }}.
 *
 * <p>Decoding copies the rules of Fabric 1.4's {@code utils.UnmarshalECDSASignature} (Go {@code encoding/asn1}):
 * strict DER integers and lengths, r and s strictly positive, while bytes after the two integers (inside or
 * after the sequence) are ignored as Go ignores them; being stricter here would reject transactions that a
 * Fabric peer accepts. The low-S helpers implement Fabric's malleability rule: a signature is canonical when
 * {@code s <= n/2}.
 *
 * @param r the r component, positive
 * @param s the s component, positive
 */
public record EcdsaSignature(BigInteger r, BigInteger s) {

    public EcdsaSignature {
        Objects.requireNonNull(r, "r");
        Objects.requireNonNull(s, "s");
    }

    /**
     * Decodes a DER signature.
     *
     * @throws IllegalArgumentException with Fabric's text, e.g. {@code failed unmashalling signature [asn1: ...]}
     *                                  or {@code invalid signature, R must be larger than zero}
     */
    public static EcdsaSignature fromDer(byte[] der) {
        Objects.requireNonNull(der, "der");
        BigInteger r;
        BigInteger s;
        try {
            DerReader outer = new DerReader(der);
            DerReader.Element sequence = outer.next(DerReader.TAG_SEQUENCE, "SEQUENCE");
            DerReader fields = outer.contents(sequence);
            r = fields.integer(fields.next(DerReader.TAG_INTEGER, "INTEGER"));
            s = fields.integer(fields.next(DerReader.TAG_INTEGER, "INTEGER"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("failed unmashalling signature [" + e.getMessage() + "]", e);
        }
        if (r.signum() != 1) {
            throw new IllegalArgumentException("invalid signature, R must be larger than zero");
        }
        if (s.signum() != 1) {
            throw new IllegalArgumentException("invalid signature, S must be larger than zero");
        }
        return new EcdsaSignature(r, s);
    }

    /** The canonical DER encoding. */
    public byte[] toDer() {
        byte[] rBytes = r.toByteArray();
        byte[] sBytes = s.toByteArray();
        return DerReader.element(DerReader.TAG_SEQUENCE,
                DerReader.element(DerReader.TAG_INTEGER, rBytes),
                DerReader.element(DerReader.TAG_INTEGER, sBytes));
    }

    /** {@code true} when {@code s <= halfOrder}, Fabric's {@code IsLowS}. */
    public boolean isLowS(BigInteger halfOrder) {
        return s.compareTo(halfOrder) <= 0;
    }

    /** This signature with {@code s} replaced by {@code n - s} when it is high; itself when already low. */
    public EcdsaSignature toLowS(BigInteger order) {
        return isLowS(order.shiftRight(1)) ? this : new EcdsaSignature(r, order.subtract(s));
    }
}
