package io.deltaagent.config;

import java.util.Objects;

/** A table named in the config (or on the command line) with the settings in force for it. */
public record TableEntry(String path, TableSettings settings) {
    public TableEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(settings, "settings");
    }
}
