package dev.dmreconciler.render;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations → whole seconds for {@code dmr.seconds}: {@code 10s}, {@code 30m}, {@code 3h}, {@code 2d},
 * {@code 1w}, combined ({@code 1d12h}, {@code 1h 30m}), decimals that come out whole ({@code 1.5h}), and a bare
 * number in the caller's default unit (MAIAKubeGate's allocation time {@code 2} means two days).
 */
final class Durations {

    static final Map<String, Long> UNITS = Map.of("s", 1L, "m", 60L, "h", 3_600L, "d", 86_400L, "w", 604_800L);

    private static final Pattern PART = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the value
     */
    static long seconds(Object value, String defaultUnit) {
        if (!UNITS.containsKey(defaultUnit)) {
            throw new IllegalArgumentException("default unit \"" + defaultUnit + "\" is not one of s, m, h, d, w");
        }
        if (value instanceof Number number) {
            return whole(new BigDecimal(number.toString()), defaultUnit, value);
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("expected a duration (a number or a string like \"2d\", \"3h\", "
                    + "\"30m\", \"10s\") but got " + PlainValues.typeOf(value));
        }
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("the duration is empty");
        }
        Matcher part = PART.matcher(trimmed);
        BigDecimal total = BigDecimal.ZERO;
        int position = 0;
        int parts = 0;
        while (position < trimmed.length()) {
            if (!part.find(position) || part.start() != position) {
                throw bad(text, "\"" + trimmed.substring(position) + "\" is not a number with a unit");
            }
            String unit = part.group(2).isEmpty() ? null : part.group(2);
            if (unit == null && (parts > 0 || part.end() < trimmed.length())) {
                throw bad(text, "only a single bare number may omit the unit");
            }
            unit = unit == null ? defaultUnit : unit;
            if (!UNITS.containsKey(unit)) {
                throw bad(text, "unknown unit \"" + unit + "\" (units: s, m, h, d, w)");
            }
            total = total.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(UNITS.get(unit))));
            position = part.end();
            parts++;
        }
        return whole(total, "s", value);
    }

    private static long whole(BigDecimal amount, String unit, Object original) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("the duration " + original + " is negative");
        }
        BigDecimal seconds = amount.multiply(BigDecimal.valueOf(UNITS.get(unit)));
        try {
            return seconds.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the duration " + original + " is not a whole number of seconds"
                    + " or is too large");
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("\"" + text + "\" is not a duration: " + why
                + " (examples: 2d, 3h, 30m, 10s, 1d12h)");
    }
}
