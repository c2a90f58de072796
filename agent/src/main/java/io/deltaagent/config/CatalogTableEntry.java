package io.deltaagent.config;

import java.util.Objects;

/** A {@code tables:} entry that names a catalog table instead of a path; its location is looked up at run time. */
public record CatalogTableEntry(CatalogTableRef ref, TableSettings settings) {

    public CatalogTableEntry {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(settings, "settings");
    }
}
