package dev.fabricembedded.ledger.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A (namespace, key) pair encoded as the world state stores it: {@code UTF-8(namespace) 0x00 UTF-8(key)}.
 *
 * <p>Namespaces never contain U+0000, so the first zero byte separates the two parts, and the encoded form
 * sorts by namespace first and then by the key's UTF-8 bytes: a range of keys in one namespace is a contiguous
 * range of encoded keys (Fabric's LevelDB layout). Encoded keys starting with a zero byte (empty namespace) are
 * reserved for the store's own bookkeeping. Immutable; ordered by unsigned byte comparison.
 */
public final class StateKey implements Comparable<StateKey> {
    private final byte[] bytes;
    private final int namespaceLength;
    private int hash;

    private StateKey(final byte[] bytes, final int namespaceLength) {
        this.bytes = bytes;
        this.namespaceLength = namespaceLength;
    }

    /** Encodes (namespace, key). The namespace must not contain U+0000 (checked by the callers). */
    public static StateKey of(final String namespace, final String key) {
        return fromBytes(encode(namespace, key));
    }

    /** Wraps an encoded key read from the store (the array is kept, not copied). */
    public static StateKey fromBytes(final byte[] bytes) {
        int separator = 0;
        while (separator < bytes.length && bytes[separator] != 0) {
            separator++;
        }
        return new StateKey(bytes, separator);
    }

    /**
     * {@link #encodeChecked} as a key whose hash is taken from the two Strings' own cached hashes (see
     * {@link #hashCode}), without reading their characters again.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static StateKey checked(final String namespace, final String key) {
        final StateKey stateKey = fromBytes(encodeChecked(namespace, key));
        stateKey.hash = hash(namespace, key);
        return stateKey;
    }

    /** {@link #hashCode} of the key (namespace, key) encodes to. */
    public static int hash(final String namespace, final String key) {
        return 31 * namespace.hashCode() + key.hashCode();
    }

    /**
     * The encoded form of (namespace, key), checking on the way what a caller may get wrong: the namespace must be
     * non-empty without U+0000, the key valid Unicode (no unpaired surrogate, since keys travel as UTF-8). The
     * checks cost nothing for ASCII keys, which the encoding loop recognizes anyway.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static byte[] encodeChecked(final String namespace, final String key) {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("invalid namespace: it must not be empty");
        }
        if (key == null) {
            throw new IllegalArgumentException("key must not be null");
        }
        final byte[] ascii = new byte[namespace.length() + 1 + key.length()];
        return encodeAscii(namespace, key, ascii) < 0 ? encodeUtf8Checked(namespace, key) : ascii;
    }

    /**
     * Encodes (namespace, key) into {@code buffer} if both are ASCII, the namespace is valid and the encoded key
     * fits: the allocation-free form of {@link #encodeChecked} for lookups (the state cache's hits).
     *
     * @return the encoded length, or -1 if the key was not encoded (then {@link #checked} encodes it, or names
     *         what is wrong with it)
     */
    public static int encodeAscii(final String namespace, final String key, final byte[] buffer) {
        if (namespace == null || key == null) {
            return -1;
        }
        final int nsLength = namespace.length();
        final int keyLength = key.length();
        final int length = nsLength + 1 + keyLength;
        if (nsLength == 0 || length > buffer.length) {
            return -1;
        }
        for (int i = 0; i < nsLength; i++) {
            final char c = namespace.charAt(i);
            if (c >= 0x80 || c == 0) {
                return -1;
            }
            buffer[i] = (byte) c;
        }
        buffer[nsLength] = 0;
        for (int i = 0; i < keyLength; i++) {
            final char c = key.charAt(i);
            if (c >= 0x80) {
                return -1;
            }
            buffer[nsLength + 1 + i] = (byte) c;
        }
        return length;
    }

    private static byte[] encodeUtf8Checked(final String namespace, final String key) {
        final String nsProblem = StateLimits.namespaceProblem(namespace);
        if (nsProblem != null) {
            throw new IllegalArgumentException(nsProblem);
        }
        for (int i = 0; i < key.length(); i++) {
            final char c = key.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("key [" + StateLimits.printable(key)
                        + "] is not valid UTF-8: unpaired surrogate at index " + i);
            }
        }
        return encodeUtf8(namespace, key);
    }

    /** The encoded form of (namespace, key), both already known to be valid. */
    public static byte[] encode(final String namespace, final String key) {
        final byte[] ascii = new byte[namespace.length() + 1 + key.length()];
        return encodeAscii(namespace, key, ascii) < 0 ? encodeUtf8(namespace, key) : ascii;
    }

    private static byte[] encodeUtf8(final String namespace, final String key) {
        final byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        final byte[] k = key.getBytes(StandardCharsets.UTF_8);
        final byte[] out = new byte[ns.length + 1 + k.length];
        System.arraycopy(ns, 0, out, 0, ns.length);
        System.arraycopy(k, 0, out, ns.length + 1, k.length);
        return out;
    }

    /**
     * The smallest encoded key above every key of {@code namespace}: {@code UTF-8(namespace) 0x01}, the bound of
     * an unbounded range scan (Fabric's {@code lastKeyIndicator}).
     */
    public static byte[] namespaceEnd(final String namespace) {
        final byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        final byte[] out = Arrays.copyOf(ns, ns.length + 1);
        out[ns.length] = 1;
        return out;
    }

    /** The encoded bytes (shared, do not modify). */
    public byte[] bytes() {
        return bytes;
    }

    public String namespace() {
        return new String(bytes, 0, namespaceLength, StandardCharsets.UTF_8);
    }

    public String key() {
        final int start = Math.min(namespaceLength + 1, bytes.length);
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    @Override
    public int compareTo(final StateKey other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof StateKey that && Arrays.equals(bytes, that.bytes);
    }

    /**
     * {@code 31 * namespace.hashCode() + key.hashCode()} of the decoded Strings ({@link #hash}), computed from the
     * bytes. Why not a hash of the bytes: a lookup by (namespace, key) Strings can then take the hash from the
     * Strings' cached hashes and start probing the state cache before the key's characters are read and encoded
     * (two cache misses overlapped instead of one after the other; PERFORMANCE.md, ledger).
     */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            final int keyStart = Math.min(namespaceLength + 1, bytes.length);
            h = 31 * stringHash(bytes, 0, namespaceLength) + stringHash(bytes, keyStart, bytes.length);
            hash = h;
        }
        return h;
    }

    /** {@code String.hashCode()} of the UTF-8 text in {@code bytes[from, to)}, without decoding ASCII. */
    private static int stringHash(final byte[] bytes, final int from, final int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return new String(bytes, from, to - from, StandardCharsets.UTF_8).hashCode();
            }
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return namespace() + ":" + key();
    }
}
