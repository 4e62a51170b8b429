package dev.dmreconciler.render;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities for {@code dmr.quantity}, written the way the API server stores them
 * (its canonical form), so what is rendered is what {@code kubectl get -o yaml} shows: {@code 4} → "4",
 * {@code 0.5} → "500m", {@code "1.5Gi"} → "1536Mi", {@code "1000m"} → "1", {@code "2000"} → "2k",
 * {@code "4Gi"} → "4Gi". Anything else is an error naming the value.
 */
final class Quantities {

    /** The API server's grammar: a signed decimal number, then a binary-SI, decimal-SI or exponent suffix. */
    static final Pattern QUANTITY = Pattern.compile(
            "^([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");

    private static final List<String> BINARY = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final List<String> DECIMAL = List.of("n", "u", "m", "", "k", "M", "G", "T", "P", "E");

    private Quantities() {
    }

    static String canonical(Object value) {
        String text;
        if (value instanceof Number) {
            text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        } else if (value instanceof String s) {
            text = s.strip();
        } else {
            throw new IllegalArgumentException("expected a quantity (a number or a string like \"500m\", \"4Gi\")"
                    + " but got " + PlainValues.typeOf(value));
        }
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a Kubernetes quantity (examples: 2, 500m, "
                    + "1.5, 4Gi, 512Mi, 1e3)");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String suffix = m.group(2) == null ? "" : m.group(2);
        if (BINARY.contains(suffix) && !suffix.isEmpty()) {
            BigDecimal amount = number.multiply(BigDecimal.valueOf(1024).pow(BINARY.indexOf(suffix)));
            if (amount.abs().compareTo(BigDecimal.valueOf(1024)) >= 0 && isWhole(amount)) {
                return binary(amount.toBigIntegerExact());
            }
            return decimal(amount, false); // as the API server does: small or fractional amounts go decimal
        }
        if (suffix.startsWith("e") || suffix.startsWith("E")) {
            return decimal(number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1))), true);
        }
        return decimal(number.scaleByPowerOfTen(3 * (DECIMAL.indexOf(suffix) - 3)), false);
    }

    private static boolean isWhole(BigDecimal d) {
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static String binary(BigInteger amount) {
        int power = 0;
        BigInteger step = BigInteger.valueOf(1024);
        while (power < BINARY.size() - 1 && amount.signum() != 0 && amount.mod(step).signum() == 0) {
            amount = amount.divide(step);
            power++;
        }
        return amount + BINARY.get(power);
    }

    /** Mantissa × 10^(3k), k as large as keeps the mantissa whole; below nano rounds up, as the API server does. */
    private static String decimal(BigDecimal amount, boolean exponentForm) {
        BigDecimal nanos = amount.scaleByPowerOfTen(9).setScale(0, RoundingMode.CEILING);
        if (nanos.signum() == 0) {
            return "0";
        }
        BigInteger mantissa = nanos.toBigIntegerExact();
        int exponent = -9;
        BigInteger thousand = BigInteger.valueOf(1000);
        while (exponent < 18 && mantissa.mod(thousand).signum() == 0) {
            mantissa = mantissa.divide(thousand);
            exponent += 3;
        }
        if (exponentForm) {
            return exponent == 0 ? mantissa.toString() : mantissa + "e" + exponent;
        }
        return mantissa + DECIMAL.get(exponent / 3 + 3);
    }
}
