package dev.fabricembedded.orderer.channelconfig;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Go's {@code time.Duration} text form, which Fabric uses for {@code BatchTimeout} in channel configuration: the
 * orderer parses it with {@code time.ParseDuration} and configtxgen writes it with {@code Duration.String()}, so a
 * Java peer or orderer must read and write exactly the same strings ({@code "2s"}, {@code "200ms"},
 * {@code "1m30s"}, {@code "1.5s"}).
 *
 * <p>Error texts are Go's ({@code time: invalid duration "x"}, {@code time: missing unit in duration "x"},
 * {@code time: unknown unit "u" in duration "x"}), because Fabric embeds them in its configuration errors.
 * Stateless.
 */
public final class GoDuration {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs",
            1_000L, "ms", 1_000_000L, "s", NANOS_PER_SECOND, "m", 60 * NANOS_PER_SECOND, "h",
            3600 * NANOS_PER_SECOND);

    private GoDuration() {
    }

    /**
     * Parses a Go duration: an optional sign, then one or more decimal numbers (with an optional fraction), each
     * followed by a unit {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}; a
     * bare {@code 0} is accepted.
     *
     * @throws IllegalArgumentException with Go's message when the text is not a duration or overflows int64 ns
     */
    public static Duration parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            boolean leading = i > start;
            String integer = s.substring(start, i);
            String fraction = "";
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int fractionStart = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                fraction = s.substring(fractionStart, i);
            }
            if (!leading && fraction.isEmpty()) {
                throw invalid(text); // no digits at all, e.g. ".s"
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (unitStart == i) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            }
            String unit = s.substring(unitStart, i);
            Long nanos = UNITS.get(unit);
            if (nanos == null) {
                throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration "
                        + quote(text));
            }
            BigDecimal number = new BigDecimal((integer.isEmpty() ? "0" : integer)
                    + (fraction.isEmpty() ? "" : "." + fraction));
            total = total.add(number.multiply(BigDecimal.valueOf(nanos)));
        }
        BigInteger nanos = total.toBigInteger(); // Go truncates fractional nanoseconds
        if (negative) {
            nanos = nanos.negate();
        }
        if (nanos.bitLength() > 63) {
            throw invalid(text);
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** Formats a duration as Go's {@code Duration.String()} does, e.g. {@code 2s}, {@code 100ms}, {@code 1h0m0s}. */
    public static String format(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        long n = duration.toNanos();
        if (n == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (n < 0) {
            out.append('-');
        }
        BigInteger u = BigInteger.valueOf(n).abs();
        if (u.compareTo(BigInteger.valueOf(NANOS_PER_SECOND)) < 0) {
            long v = u.longValue();
            if (v < 1_000) {
                return out.append(v).append("ns").toString();
            }
            if (v < 1_000_000) {
                return out.append(fraction(v, 3)).append('\u00b5').append('s').toString();
            }
            return out.append(fraction(v, 6)).append("ms").toString();
        }
        long v = u.longValue();
        long seconds = v / NANOS_PER_SECOND;
        long nanos = v % NANOS_PER_SECOND;
        long hours = seconds / 3600;
        long minutes = (seconds % 3600) / 60;
        long secs = seconds % 60;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(fraction(secs * NANOS_PER_SECOND + nanos, 9)).append('s');
        return out.toString();
    }

    /** {@code value / 10^digits} with the fraction's trailing zeros removed (and no dot when it is whole). */
    private static String fraction(long value, int digits) {
        BigDecimal scaled = BigDecimal.valueOf(value).movePointLeft(digits).stripTrailingZeros();
        return scaled.scale() <= 0 ? scaled.toBigInteger().toString() : scaled.toPlainString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
