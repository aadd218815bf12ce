package dev.fabricembedded.msp.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A minimal, allocation-light DER reader over a byte array: it walks tag-length-value elements and hands out
 * their exact byte ranges.
 *
 * <p>Why not a general ASN.1 parser: signatures must be checked over the bytes <em>as received</em> (a
 * certificate's {@code tbsCertificate}, a CRL's {@code tbsCertList}), which re-encoding a parsed tree does not
 * guarantee, and ECDSA signatures must be decoded with the strictness of Go's {@code encoding/asn1} so that the
 * same bytes are accepted or rejected as on a Fabric peer. Error messages follow Go's wording.
 *
 * <p>Not thread-safe (it has a cursor); create one per parse.
 */
public final class DerReader {

    /** Universal tags used in this module. */
    public static final int TAG_INTEGER = 0x02;
    public static final int TAG_BIT_STRING = 0x03;
    public static final int TAG_OCTET_STRING = 0x04;
    public static final int TAG_SEQUENCE = 0x30;

    private final byte[] buffer;
    private final int end;
    private int position;

    /** Reads the whole array. */
    public DerReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    private DerReader(byte[] buffer, int start, int end) {
        this.buffer = buffer;
        this.position = start;
        this.end = end;
    }

    /**
     * One element: its identifier octet and where its header, contents and end lie in the underlying array.
     *
     * @param tag          the identifier octet (class, constructed bit and tag number &lt; 31)
     * @param start        offset of the identifier octet
     * @param contentStart offset of the first content octet
     * @param end          offset just past the element
     */
    public record Element(int tag, int start, int contentStart, int end) {
        /** Number of content octets. */
        public int contentLength() {
            return end - contentStart;
        }
    }

    /** {@code true} while unread bytes remain. */
    public boolean hasRemaining() {
        return position < end;
    }

    /** Offset of the next unread byte in the underlying array. */
    public int position() {
        return position;
    }

    /**
     * Reads the next element header and skips over its contents.
     *
     * @throws IllegalArgumentException with Go's {@code asn1} wording when the header is truncated or not DER
     */
    public Element next() {
        int start = position;
        if (position >= end) {
            throw new IllegalArgumentException("asn1: syntax error: data truncated");
        }
        int tag = buffer[position++] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IllegalArgumentException("asn1: syntax error: high-tag-number form is not supported here");
        }
        if (position >= end) {
            throw new IllegalArgumentException("asn1: syntax error: data truncated");
        }
        int first = buffer[position++] & 0xff;
        int length;
        if ((first & 0x80) == 0) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0) {
                throw new IllegalArgumentException("asn1: syntax error: indefinite length found (not DER)");
            }
            if (count > 3) {
                throw new IllegalArgumentException("asn1: structure error: length too large");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                if (position >= end) {
                    throw new IllegalArgumentException("asn1: syntax error: data truncated");
                }
                int b = buffer[position++] & 0xff;
                if (i == 0 && b == 0) {
                    throw new IllegalArgumentException("asn1: structure error: superfluous leading zeros in length");
                }
                length = (length << 8) | b;
            }
            if (length < 0x80) {
                throw new IllegalArgumentException("asn1: structure error: non-minimal length");
            }
        }
        int contentStart = position;
        if (length > end - contentStart) {
            throw new IllegalArgumentException("asn1: syntax error: data truncated");
        }
        position = contentStart + length;
        return new Element(tag, start, contentStart, position);
    }

    /** Reads the next element and checks its tag. */
    public Element next(int expectedTag, String what) {
        Element element = next();
        if (element.tag() != expectedTag) {
            throw new IllegalArgumentException(String.format(
                    "asn1: structure error: tags don't match (expected %s, tag 0x%02x, got tag 0x%02x)",
                    what, expectedTag, element.tag()));
        }
        return element;
    }

    /** A reader over the contents of a constructed element read from this reader. */
    public DerReader contents(Element element) {
        return new DerReader(buffer, element.contentStart(), element.end());
    }

    /** A copy of the element's full encoding (header and contents). */
    public byte[] encoded(Element element) {
        return Arrays.copyOfRange(buffer, element.start(), element.end());
    }

    /** A copy of the element's contents. */
    public byte[] content(Element element) {
        return Arrays.copyOfRange(buffer, element.contentStart(), element.end());
    }

    /**
     * Decodes an INTEGER element with Go's checks: not empty and minimally encoded.
     */
    public BigInteger integer(Element element) {
        int length = element.contentLength();
        if (length == 0) {
            throw new IllegalArgumentException("asn1: syntax error: empty integer");
        }
        int c = element.contentStart();
        if (length > 1) {
            int b0 = buffer[c] & 0xff;
            int b1 = buffer[c + 1] & 0xff;
            if ((b0 == 0 && (b1 & 0x80) == 0) || (b0 == 0xff && (b1 & 0x80) == 0x80)) {
                throw new IllegalArgumentException("asn1: structure error: integer not minimally-encoded");
            }
        }
        return new BigInteger(buffer, c, length);
    }

    /** Encodes a DER length. */
    public static void writeLength(java.io.ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
    }

    /** Encodes one element: tag, DER length, contents. */
    public static byte[] element(int tag, byte[]... contentParts) {
        int length = 0;
        for (byte[] part : contentParts) {
            length += part.length;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(length + 6);
        out.write(tag);
        writeLength(out, length);
        for (byte[] part : contentParts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
