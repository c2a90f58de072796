package io.deltaagent.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written with a unit: {@code 128MiB}, {@code 1GiB}, {@code 512KB}, {@code 1048576}.
 * Binary units (KiB, MiB, GiB, TiB) are powers of 1024; decimal units (KB, MB, GB, TB) powers of 1000.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB"};

    /**
     * The largest size any setting takes: 1PiB (written 1024TiB). Far beyond any file or job, and far enough below a
     * {@code long} that sums and multiples of a setting cannot overflow.
     */
    public static final ByteSize MAX = new ByteSize(1L << 50);

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a byte size cannot be negative: " + bytes);
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofMebibytes(long mib) {
        return new ByteSize(mib * 1024L * 1024L);
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with the accepted forms, or above {@link #MAX}. */
    public static ByteSize parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a byte size; write a number with a unit, e.g. 128MiB, 1GiB, 512KB");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        long multiplier = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kib", "k" -> 1L << 10;
            case "mib", "m" -> 1L << 20;
            case "gib", "g" -> 1L << 30;
            case "tib", "t" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + m.group(2)
                    + "'; use B, KiB, MiB, GiB, TiB (or KB, MB, GB, TB)");
        };
        BigDecimal bytes = number.multiply(BigDecimal.valueOf(multiplier)).setScale(0, RoundingMode.HALF_UP);
        if (bytes.compareTo(BigDecimal.valueOf(MAX.bytes())) > 0) {
            throw new IllegalArgumentException("'" + text.trim() + "' is too large; a byte size is at most " + MAX);
        }
        return new ByteSize(bytes.longValueExact());
    }

    /** Human form with binary units and at most one decimal: {@code 3.5 MiB}. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + BINARY[unit];
    }

    /** Config form, exact when the size is a whole number of a binary unit: {@code 128MiB}. */
    @Override
    public String toString() {
        long value = bytes;
        int unit = 0;
        while (value != 0 && value % 1024 == 0 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        return value + BINARY[unit];
    }

    @Override
    public int compareTo(ByteSize other) {
        return Long.compare(bytes, other.bytes);
    }
}
