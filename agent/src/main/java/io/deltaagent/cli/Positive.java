package io.deltaagent.cli;

import io.deltaagent.config.BackendOptions;
import io.deltaagent.config.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Converters that refuse what cannot work while the command line is parsed, so a bad number is a usage error (exit 2)
 * naming the option, never a raw error from deep inside (a database's "maxRows", a JVM that will not start).
 */
final class Positive {

    private Positive() {
    }

    /** A duration above zero: 500ms, 10s, 5m, 2h, 7d. */
    static final class DurationValue implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d;
            try {
                d = Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (d.isZero() || d.isNegative()) {
                throw new TypeConversionException("'" + value + "' must be more than 0 (e.g. 30m or 2h)");
            }
            return d;
        }
    }

    /** A whole number of at least 1. */
    static final class Count implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' " + (value.strip().matches("[+-]?\\d+")
                        ? "is out of range (at most " + Integer.MAX_VALUE + ")" : "is not a whole number"));
            }
            if (n < 1) {
                throw new TypeConversionException("'" + value + "' must be at least 1");
            }
            return n;
        }
    }

    /** The local backend's cores, as backends.local.cores allows. */
    static final class Cores implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            Integer n = new Count().convert(value);
            try {
                return BackendOptions.LOCAL_CORES.validate(n);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The local backend's heap, as backends.local.heap allows: a JVM size above 0. */
    static final class Heap implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                return BackendOptions.LOCAL_HEAP.validate(value.strip());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
