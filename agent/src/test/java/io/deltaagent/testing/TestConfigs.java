package io.deltaagent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code defaults:} preamble the maintain tests share, written once. The fixture tables were written moments
 * ago, so every partition would be "hot" and left out of OPTIMIZE; and a log read on a busy 2-core test machine can
 * take seconds, which must not add a checkpoint to the plan a test expects.
 */
public final class TestConfigs {

    /** {@code defaults:} with no hot-partition window and no log-read latency breach. */
    public static final String DEFAULTS = "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n";

    private TestConfigs() {
    }

    /** {@link #DEFAULTS} plus more keys under {@code defaults:}, each given as {@code "key: value"}. */
    public static String defaults(String... moreDefaults) {
        StringBuilder yaml = new StringBuilder(DEFAULTS);
        for (String line : moreDefaults) {
            yaml.append("  ").append(line).append('\n');
        }
        return yaml.toString();
    }

    /** Writes {@link #defaults(String...)} to {@code file} and returns it. */
    public static Path write(Path file, String... moreDefaults) {
        try {
            return Files.writeString(file, defaults(moreDefaults));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the test config", e);
        }
    }
}
