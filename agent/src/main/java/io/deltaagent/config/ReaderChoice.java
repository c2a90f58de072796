package io.deltaagent.config;

import java.util.Locale;

/** Which reader builds snapshots: {@code auto} picks the projected reader where it can read the table, Kernel otherwise. */
public enum ReaderChoice {
    AUTO, STANDALONE, KERNEL, PROJECTED;

    public static ReaderChoice parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a reader; use auto, projected, standalone or kernel");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
