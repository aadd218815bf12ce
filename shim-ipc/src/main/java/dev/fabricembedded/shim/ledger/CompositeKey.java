package dev.fabricembedded.shim.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A key built from an object type and attributes, stored as Fabric's composite key string
 * {@code U+0000 objectType U+0000 attr1 U+0000 ... attrN U+0000}.
 *
 * <p>Fabric reserves keys that start with U+0000 for composite keys so that range queries over simple keys never
 * see them; a partial composite key ({@code objectType} plus the first attributes) selects every key that starts
 * with it. The object type and the attributes must not contain U+0000 (the delimiter) or U+10FFFF (the upper
 * bound of partial-key range queries); the constructor rejects them with a {@link CompositeKeyFormatException}.
 * Unlike Fabric's Java shim, {@link #parseCompositeKey} keeps empty trailing attributes, as the Go shim does.
 *
 * <p>Immutable; equal when the key strings are equal.
 */
public final class CompositeKey {

    /** The delimiter between segments, U+0000. */
    public static final String DELIMITER = "\u0000";
    /** The namespace every composite key starts with (the delimiter). */
    public static final String NAMESPACE = DELIMITER;
    /** U+10FFFF, the largest code point: appended to a partial key it bounds the key's range from above. */
    public static final String MAX_UNICODE_RUNE = "\uDBFF\uDFFF";

    private final String objectType;
    private final List<String> attributes;
    private final String key;

    /**
     * @throws CompositeKeyFormatException if a segment contains U+0000 or U+10FFFF
     */
    public CompositeKey(final String objectType, final String... attributes) {
        this(objectType, attributes == null ? List.of() : Arrays.asList(attributes));
    }

    /**
     * @throws CompositeKeyFormatException if a segment contains U+0000 or U+10FFFF
     */
    public CompositeKey(final String objectType, final List<String> attributes) {
        this.objectType = Objects.requireNonNull(objectType, "objectType cannot be null");
        this.attributes = List.copyOf(Objects.requireNonNull(attributes, "attributes cannot be null"));
        validateSegment(objectType);
        final StringBuilder sb = new StringBuilder(NAMESPACE).append(objectType).append(DELIMITER);
        for (final String attribute : this.attributes) {
            validateSegment(attribute);
            sb.append(attribute).append(DELIMITER);
        }
        this.key = sb.toString();
    }

    /**
     * Parses a composite key string.
     *
     * @throws CompositeKeyFormatException if it does not start and end with U+0000 or has no object type
     */
    public static CompositeKey parseCompositeKey(final String compositeKey) {
        Objects.requireNonNull(compositeKey, "compositeKey cannot be null");
        if (!compositeKey.startsWith(NAMESPACE)) {
            throw new CompositeKeyFormatException(
                    "composite key [" + compositeKey + "] does not start with U+0000");
        }
        if (compositeKey.length() < 2 || !compositeKey.endsWith(DELIMITER)) {
            throw new CompositeKeyFormatException(
                    "composite key [" + compositeKey + "] does not end with U+0000 after its object type");
        }
        final List<String> segments = new ArrayList<>();
        int start = 1;
        for (int i = 1; i < compositeKey.length(); i++) {
            if (compositeKey.charAt(i) == '\u0000') {
                segments.add(compositeKey.substring(start, i));
                start = i + 1;
            }
        }
        return new CompositeKey(segments.get(0), segments.subList(1, segments.size()));
    }

    /**
     * Checks simple keys (range bounds): a non-empty key must not start with U+0000, because such keys belong to
     * the composite-key namespace.
     *
     * @throws CompositeKeyFormatException naming the first offending key
     */
    public static void validateSimpleKeys(final String... keys) {
        for (final String key : keys) {
            if (!key.isEmpty() && key.startsWith(NAMESPACE)) {
                throw CompositeKeyFormatException.forSimpleKey(key);
            }
        }
    }

    /** The object type (first segment). */
    public String getObjectType() {
        return objectType;
    }

    /** The attributes, in order (unmodifiable). */
    public List<String> getAttributes() {
        return attributes;
    }

    /** The composite key string, as stored in the ledger. */
    @Override
    public String toString() {
        return key;
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof CompositeKey other && other.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    private static void validateSegment(final String segment) {
        Objects.requireNonNull(segment, "composite key segment cannot be null");
        for (int i = 0; i < segment.length(); ) {
            final int cp = segment.codePointAt(i);
            if (cp == 0 || cp == Character.MAX_CODE_POINT) {
                throw CompositeKeyFormatException.forSegment(segment, cp, i);
            }
            i += Character.charCount(cp);
        }
    }
}
