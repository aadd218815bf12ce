package dev.fabricembedded.ledger.state;

import java.nio.charset.StandardCharsets;

/**
 * The largest keys, values and metadata the world state stores. Fixed per ledger, because the Chronicle Map is
 * sized at creation to hold one entry of {@link #maxEntrySize()} bytes.
 *
 * <p>Checked twice: by the simulator on {@code setState} (the chaincode gets the error at once) and at commit,
 * where a write the store cannot hold makes its transaction {@code INVALID_WRITESET} (Fabric's
 * {@code statedb.ValidateKeyValue}: each state database enforces its own limits). Immutable.
 *
 * @param maxKeySize      largest {@code namespace + 0x00 + key} in UTF-8 bytes
 * @param maxValueSize    largest value in bytes
 * @param maxMetadataSize largest serialized key metadata in bytes
 */
public record StateLimits(int maxKeySize, int maxValueSize, int maxMetadataSize) {
    /** Default largest encoded key: 16 KiB. */
    public static final int DEFAULT_MAX_KEY_SIZE = 16 * 1024;
    /** Default largest value: 1 MiB. */
    public static final int DEFAULT_MAX_VALUE_SIZE = 1024 * 1024;
    /** Default largest serialized metadata: 16 KiB. */
    public static final int DEFAULT_MAX_METADATA_SIZE = 16 * 1024;
    /** Bytes the store adds to every value (version and value length). */
    public static final int VALUE_HEADER_SIZE = StoredValue.HEADER_SIZE;

    public StateLimits {
        if (maxKeySize < 2 || maxValueSize < 1 || maxMetadataSize < 0) {
            throw new IllegalArgumentException("invalid state limits: key " + maxKeySize + ", value " + maxValueSize
                    + ", metadata " + maxMetadataSize);
        }
    }

    /** Limits with the default key and metadata sizes and the given value size. */
    public static StateLimits withMaxValueSize(final int maxValueSize) {
        return new StateLimits(DEFAULT_MAX_KEY_SIZE, maxValueSize, DEFAULT_MAX_METADATA_SIZE);
    }

    /** Largest stored entry (encoded key + header + value + metadata). */
    public int maxEntrySize() {
        return maxKeySize + VALUE_HEADER_SIZE + maxValueSize + maxMetadataSize;
    }

    /** Why {@code namespace} is not a valid namespace, or null if it is. */
    public static String namespaceProblem(final String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            return "invalid namespace: it must not be empty";
        }
        if (namespace.indexOf('\u0000') >= 0) {
            return "invalid namespace [" + printable(namespace) + "]: it must not contain U+0000";
        }
        return null;
    }

    /** Why a write of these sizes cannot be stored, or null if it can. */
    public String writeProblem(final String namespace, final String key, final int valueSize, final int metadataSize) {
        final String nsProblem = namespaceProblem(namespace);
        if (nsProblem != null) {
            return nsProblem;
        }
        final int keySize = namespace.getBytes(StandardCharsets.UTF_8).length + 1
                + key.getBytes(StandardCharsets.UTF_8).length;
        if (keySize > maxKeySize) {
            return "key [" + printable(key) + "] in namespace [" + namespace + "] is " + keySize
                    + " bytes, larger than the maximum of " + maxKeySize + " bytes";
        }
        if (valueSize > maxValueSize) {
            return "value of key [" + printable(key) + "] in namespace [" + namespace + "] is " + valueSize
                    + " bytes, larger than the configured maximum of " + maxValueSize + " bytes";
        }
        if (metadataSize > maxMetadataSize) {
            return "metadata of key [" + printable(key) + "] in namespace [" + namespace + "] is " + metadataSize
                    + " bytes, larger than the maximum of " + maxMetadataSize + " bytes";
        }
        return null;
    }

    /** A key as it can be shown in a message: control characters escaped, long keys cut. */
    public static String printable(final String key) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < key.length() && out.length() < 120; i++) {
            final char c = key.charAt(i);
            if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.length() >= 120 ? out + "..." : out.toString();
    }
}
