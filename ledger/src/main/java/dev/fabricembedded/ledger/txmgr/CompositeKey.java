package dev.fabricembedded.ledger.txmgr;

import java.util.ArrayList;
import java.util.List;

/**
 * Fabric's composite keys: {@code U+0000 objectType U+0000 attribute1 U+0000 ... U+0000}. The leading U+0000
 * keeps them apart from simple keys (they sort first), and the range [prefix, prefix + U+10FFFF) of a partial key
 * finds every key extending it (the shim's {@code GetStateByPartialCompositeKey}). Stateless.
 */
public final class CompositeKey {
    /** The first character of every composite key, also the separator after each part. */
    public static final char NAMESPACE = '\u0000';
    /** U+10FFFF, the largest code point: appended to a partial key to bound its range. */
    public static final String MAX_UNICODE_RUNE = new String(Character.toChars(Character.MAX_CODE_POINT));

    private CompositeKey() {
    }

    /**
     * Builds a composite key with the shim's validation.
     *
     * @throws IllegalArgumentException if a part is not valid Unicode or contains U+0000 or U+10FFFF
     */
    public static String create(final String objectType, final String... attributes) {
        final StringBuilder key = new StringBuilder().append(NAMESPACE);
        append(key, objectType);
        for (String attribute : attributes) {
            append(key, attribute);
        }
        return key.toString();
    }

    private static void append(final StringBuilder key, final String part) {
        final String unicode = KeyRules.unicodeProblem(part);
        if (unicode != null) {
            throw new IllegalArgumentException("composite key part " + unicode);
        }
        for (int i = 0; i < part.length(); ) {
            final int codePoint = part.codePointAt(i);
            if (codePoint == 0 || codePoint == Character.MAX_CODE_POINT) {
                throw new IllegalArgumentException(String.format("input contains unicode U+%04X starting at position"
                        + " [%d]. U+0000 and U+10FFFF are not allowed in the input attribute of a composite key",
                        codePoint, i));
            }
            i += Character.charCount(codePoint);
        }
        key.append(part).append(NAMESPACE);
    }

    /** True if {@code key} is in the composite key namespace (starts with U+0000). */
    public static boolean isComposite(final String key) {
        return !key.isEmpty() && key.charAt(0) == NAMESPACE;
    }

    /** The object type and attributes of a composite key (the shim's {@code SplitCompositeKey}). */
    public static List<String> split(final String compositeKey) {
        if (!isComposite(compositeKey)) {
            throw new IllegalArgumentException("not a composite key");
        }
        final List<String> parts = new ArrayList<>();
        int start = 1;
        for (int i = 1; i < compositeKey.length(); i++) {
            if (compositeKey.charAt(i) == NAMESPACE) {
                parts.add(compositeKey.substring(start, i));
                start = i + 1;
            }
        }
        return parts;
    }

    /** The exclusive end of the range holding every key that extends {@code partialKey}. */
    public static String rangeEnd(final String partialKey) {
        return partialKey + MAX_UNICODE_RUNE;
    }
}
