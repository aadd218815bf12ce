package dev.fabricembedded.ledger.state;

import java.util.Comparator;

/**
 * Orders Strings as their UTF-8 bytes compare, which is how Fabric (Go strings, LevelDB) sorts keys,
 * namespaces and range results. Java's {@link String#compareTo} compares UTF-16 units and differs for
 * characters above U+FFFF against U+E000..U+FFFF; this comparator compares code points, which is equivalent to
 * UTF-8 byte order. Stateless.
 */
public final class KeyOrder implements Comparator<String> {
    /** The shared instance. */
    public static final KeyOrder INSTANCE = new KeyOrder();

    private KeyOrder() {
    }

    @Override
    public int compare(final String a, final String b) {
        final int length = Math.min(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            final char x = a.charAt(i);
            final char y = b.charAt(i);
            if (x != y) {
                return fixup(x) - fixup(y);
            }
        }
        return a.length() - b.length();
    }

    /** Moves surrogates above U+E000..U+FFFF so that UTF-16 unit order becomes code point order. */
    private static int fixup(final char c) {
        if (c >= 0xD800 && c <= 0xDFFF) {
            return c + 0x2000;
        }
        return c >= 0xE000 ? c - 0x800 : c;
    }
}
