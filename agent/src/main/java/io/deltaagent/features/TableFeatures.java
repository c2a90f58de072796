package io.deltaagent.features;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The Delta table features the agent knows by name (PROTOCOL.md's table features, and the preview names writers
 * have used): whether each binds readers too, and which make a table catalog-managed. docs/FEATURES.md is checked
 * against this registry and the job runtimes' lists by a test.
 */
public final class TableFeatures {

    /** A feature by its protocol name. */
    public record Feature(String name, Kind kind) {
    }

    /** Reader-writer features appear in both of a protocol's lists; writer features only in writerFeatures. */
    public enum Kind { READER_WRITER, WRITER }

    /**
     * The catalog-managed commits feature and its preview name (Delta 4.0.0 wrote {@code catalogOwned-preview}; the
     * RFC was accepted as {@code catalogManaged}, Delta 4.0.1): the catalog owns the table's commits, and by path the
     * agent reads only what is published and never rewrites, vacuums or cleans up.
     */
    public static final Set<String> CATALOG_MANAGED = Set.of("catalogManaged", "catalogOwned-preview");

    /** VACUUM must check the writer protocol first: the agent refuses VACUUM when a writer feature is unsupported. */
    public static final String VACUUM_PROTOCOL_CHECK = "vacuumProtocolCheck";

    private static final List<Feature> ALL = List.of(
            rw("catalogManaged"), rw("catalogOwned-preview"), rw("columnMapping"), rw("deletionVectors"),
            rw("timestampNtz"), rw("typeWidening"), rw("typeWidening-preview"), rw("v2Checkpoint"),
            rw("vacuumProtocolCheck"), rw("variantType"), rw("variantType-preview"), rw("variantShredding-preview"),
            rw("variantShredding"), rw("geospatial"), rw("geospatial-dev"),
            w("allowColumnDefaults"), w("appendOnly"), w("changeDataFeed"), w("checkConstraints"),
            w("checkpointProtection"), w("clustering"), w("coordinatedCommits-preview"), w("domainMetadata"),
            w("generatedColumns"), w("icebergCompatV1"), w("icebergCompatV2"), w("icebergCompatV3"), w("icebergWriterCompatV1"),
            w("identityColumns"), w("inCommitTimestamp"), w("invariants"), w("materializePartitionColumns"), w("rowTracking"))
            .stream().sorted(Comparator.comparing(Feature::kind).thenComparing(f -> f.name().toLowerCase(java.util.Locale.ROOT)))
            .toList();

    private TableFeatures() {
    }

    /** Every known feature, reader-writer first, each group by name. */
    public static List<Feature> all() {
        return ALL;
    }

    /** The catalog-managed feature among these, or null when the table is not catalog-managed. */
    public static String catalogManaged(Collection<String> features) {
        return features.stream().filter(CATALOG_MANAGED::contains).findFirst().orElse(null);
    }

    private static Feature rw(String name) {
        return new Feature(name, Kind.READER_WRITER);
    }

    private static Feature w(String name) {
        return new Feature(name, Kind.WRITER);
    }
}
