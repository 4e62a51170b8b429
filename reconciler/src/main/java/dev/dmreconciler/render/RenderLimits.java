package dev.dmreconciler.render;

import java.time.Duration;
import java.util.function.Function;

/**
 * How long rendering one environment may take and how much text it may produce, all its templates together. A
 * template that loops for ever, produces gigabytes or recurses without end fails its environment with the
 * template named; other environments are not affected.
 *
 * <p>Defaults: 30 s and 32 Mi characters (a 2,000-namespace environment renders a few MiB), changeable with the
 * environment variables {@code DMR_RENDER_TIMEOUT_SECONDS} and {@code DMR_RENDER_MAX_OUTPUT_MIB}.
 */
public record RenderLimits(Duration timeout, long maxChars) {

    public static final RenderLimits DEFAULT = fromEnvironment(System::getenv);
    private static volatile RenderLimits current = DEFAULT;

    public RenderLimits {
        if (timeout.isNegative() || timeout.isZero() || maxChars <= 0) {
            throw new IllegalArgumentException("render limits must be positive");
        }
    }

    /** The limits engines get when none are given: {@link #DEFAULT} unless set with {@link #useByDefault}. */
    public static RenderLimits current() {
        return current;
    }

    /** Sets the process-wide default (tests of the controller use small limits); returns the previous one. */
    public static RenderLimits useByDefault(RenderLimits limits) {
        RenderLimits previous = current;
        current = limits;
        return previous;
    }

    static RenderLimits fromEnvironment(Function<String, String> getenv) {
        return new RenderLimits(Duration.ofSeconds(number(getenv, "DMR_RENDER_TIMEOUT_SECONDS", 30)),
                number(getenv, "DMR_RENDER_MAX_OUTPUT_MIB", 32) << 20);
    }

    private static long number(Function<String, String> getenv, String name, long fallback) {
        String value = getenv.apply(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(name + "=" + value + " is not a positive whole number");
    }

    /** A fresh budget for one environment: the clock starts now. */
    public Budget start() {
        return new Budget(this, System.nanoTime() + timeout.toNanos());
    }

    /** What is left of one environment's limits while its templates render (one thread at a time). */
    public static final class Budget {
        private final RenderLimits limits;
        private final long deadline;
        private long chars;

        Budget(RenderLimits limits, long deadline) {
            this.limits = limits;
            this.deadline = deadline;
        }

        public RenderLimits limits() {
            return limits;
        }

        long nanosLeft() {
            return deadline - System.nanoTime();
        }

        /** Counts output; false once the environment's output exceeds the limit. */
        boolean spend(int written) {
            chars += written;
            return chars <= limits.maxChars;
        }
    }
}
