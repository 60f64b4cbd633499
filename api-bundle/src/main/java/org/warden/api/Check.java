package org.warden.api;

import java.math.BigInteger;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The argument rules every Warden call applies, public so that a distributor can check its input the same
 * way before calling. Each method returns its argument or throws an {@link IllegalArgumentException}
 * whose message starts with the argument's name and says why.
 */
@ProviderType
public final class Check {
    /** Longest id accepted (characters): ids are keys, not documents. */
    public static final int MAX_ID_LENGTH = 256;
    /** Longest reason accepted (characters). */
    public static final int MAX_REASON_LENGTH = 1024;
    /** Earnings and bids are unsigned 128-bit amounts. */
    public static final BigInteger TWO_POW_128 = BigInteger.ONE.shiftLeft(128);

    private Check() {
    }

    public static String id(String name, String value) {
        return text(name, value, MAX_ID_LENGTH);
    }

    public static String optionalId(String name, String value) {
        return value == null ? null : id(name, value);
    }

    public static String reason(String name, String value) {
        return text(name, value, MAX_REASON_LENGTH);
    }

    private static String text(String name, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(name + " is " + value.length() + " characters long, at most " + max + " allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException(name + " must not contain control characters (found U+"
                        + String.format("%04X", (int) value.charAt(i)) + " at index " + i + ")");
            }
        }
        return value;
    }

    public static double finite(String name, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + value);
        }
        return value;
    }

    public static double percent(String name, double value) {
        finite(name, value);
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + " must be a percentage in [0, 100], was " + value);
        }
        return value;
    }

    public static double unit(String name, double value) {
        finite(name, value);
        if (value < 0 || value > 1) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
        return value;
    }

    public static Double optionalUnit(String name, Double value) {
        return value == null ? null : unit(name, value);
    }

    public static double nonNegative(String name, double value) {
        finite(name, value);
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static long nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    public static BigInteger amount(String name, BigInteger value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        if (value.compareTo(TWO_POW_128) >= 0) {
            throw new IllegalArgumentException(name + " must be below 2^128 (an unsigned 128-bit amount), was " + value);
        }
        return value;
    }

    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }
}
