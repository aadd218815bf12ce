package dev.fabricembedded.ledger.txmgr;

import dev.fabricembedded.ledger.state.StateLimits;

/**
 * The rules a key written by a chaincode must follow (the shims' rules, enforced again on the peer side so that
 * a misbehaving chaincode process gets a clear error instead of writing keys no shim could read back):
 * <ul>
 *   <li>not empty;</li>
 *   <li>valid Unicode (no unpaired surrogate), since keys travel as UTF-8;</li>
 *   <li>a key starting with U+0000 is a composite key: {@code U+0000 objectType U+0000 (attribute U+0000)*},
 *   and no part contains U+10FFFF (see {@link CompositeKey}).</li>
 * </ul>
 * Stateless.
 */
public final class KeyRules {
    private KeyRules() {
    }

    /** Why {@code key} cannot be written, or null if it can. */
    public static String writeKeyProblem(final String key) {
        if (key == null || key.isEmpty()) {
            return "key must not be an empty string";
        }
        final String unicode = unicodeProblem(key);
        if (unicode != null) {
            return "key [" + StateLimits.printable(key) + "] " + unicode;
        }
        if (key.charAt(0) == CompositeKey.NAMESPACE) {
            if (key.length() < 2 || key.charAt(key.length() - 1) != CompositeKey.NAMESPACE) {
                return "key [" + StateLimits.printable(key) + "] starts with U+0000, the composite key prefix, but is"
                        + " not a composite key (U+0000 objectType U+0000 (attribute U+0000)*)";
            }
            if (key.contains(CompositeKey.MAX_UNICODE_RUNE)) {
                return "composite key [" + StateLimits.printable(key) + "] contains U+10FFFF, which is not allowed"
                        + " in a composite key";
            }
        }
        return null;
    }

    /** Why {@code text} is not valid Unicode (an unpaired surrogate), or null if it is. */
    public static String unicodeProblem(final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "is not valid UTF-8: unpaired surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "is not valid UTF-8: unpaired surrogate at index " + i;
            }
        }
        return null;
    }
}
