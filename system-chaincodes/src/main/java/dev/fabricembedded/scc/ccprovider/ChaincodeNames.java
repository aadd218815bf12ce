package dev.fabricembedded.scc.ccprovider;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fabric 1.4's rules for chaincode names and versions (LSCC's {@code isValidChaincodeName/Version}), shared by
 * install, deploy/upgrade and the LSCC write-set validation so that all three accept exactly the same strings.
 * There is no length limit, as in 1.4. Stateless.
 */
public final class ChaincodeNames {

    /** Fabric's chaincode name pattern; the whole name must match. */
    public static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$");

    /** Fabric's chaincode version pattern; the whole version must match. */
    public static final Pattern VERSION_PATTERN = Pattern.compile("^[A-Za-z0-9_.+-]+$");

    /** The names of Fabric 1.4's system chaincodes (including the deprecated escc/vscc), which user chaincode may not take. */
    public static final Set<String> SYSTEM_CHAINCODE_NAMES = Set.of("cscc", "escc", "lscc", "qscc", "vscc");

    private ChaincodeNames() {
    }

    /** {@code true} when the name matches {@link #NAME_PATTERN}. */
    public static boolean isValidName(String name) {
        return name != null && NAME_PATTERN.matcher(name).matches();
    }

    /** {@code true} when the version matches {@link #VERSION_PATTERN}. */
    public static boolean isValidVersion(String version) {
        return version != null && VERSION_PATTERN.matcher(version).matches();
    }

    /**
     * Checks a name.
     *
     * @throws InvalidChaincodeException {@code invalid chaincode name '<n>'. Names must start with an alphanumeric
     *                                   character and can only consist of alphanumerics, '_', and '-'}
     */
    public static void requireValidName(String name) {
        if (!isValidName(name)) {
            throw new InvalidChaincodeException("invalid chaincode name '" + name + "'. Names must start with an "
                    + "alphanumeric character and can only consist of alphanumerics, '_', and '-'");
        }
    }

    /**
     * Checks a version.
     *
     * @throws InvalidChaincodeException {@code invalid chaincode version '<v>'. Versions must not be empty and can
     *                                   only consist of alphanumerics, '_',  '-', '+', and '.'} (two spaces, as
     *                                   in Fabric)
     */
    public static void requireValidVersion(String version) {
        if (!isValidVersion(version)) {
            throw new InvalidChaincodeException("invalid chaincode version '" + version + "'. Versions must not be "
                    + "empty and can only consist of alphanumerics, '_',  '-', '+', and '.'");
        }
    }

    /** Go's {@code unicode.IsPrint} over every code point (Fabric's sanity check on stored names). */
    static boolean isPrintable(String s) {
        return s.codePoints().allMatch(ChaincodeNames::isPrintable);
    }

    private static boolean isPrintable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
                 Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
                 Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
                 Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
                 Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
                 Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }
}
