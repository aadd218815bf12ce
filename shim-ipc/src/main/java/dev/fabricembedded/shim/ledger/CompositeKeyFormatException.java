package dev.fabricembedded.shim.ledger;

/**
 * A key that breaks Fabric's key rules: a composite-key segment containing U+0000 or U+10FFFF, a malformed composite
 * key string, or a simple key starting with U+0000 (the composite-key namespace) where a simple key is required.
 */
public final class CompositeKeyFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    CompositeKeyFormatException(final String message) {
        super(message);
    }

    static CompositeKeyFormatException forSegment(final String segment, final int codePoint, final int index) {
        return new CompositeKeyFormatException(
                String.format("For input string '%s', found 'U+%06X' at index %d.", segment, codePoint, index));
    }

    static CompositeKeyFormatException forSimpleKey(final String key) {
        return new CompositeKeyFormatException(String.format(
                "First character of the key [%s] contains a 'U+%06X' which is not allowed", key, 0));
    }
}
