package io.deltaagent.jobs.table;

import io.deltaagent.jobs.error.UnsupportedProtocolException;
import io.deltaagent.jobs.spark.Scala;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.delta.DeltaUnsupportedTableFeatureException;
import org.apache.spark.sql.delta.TableFeature$;
import org.apache.spark.sql.delta.actions.Protocol;

/**
 * Refuses, before any work, a table this job must not touch: one whose protocol names a feature the job runtime's
 * delta-spark does not support (delta-spark itself would refuse only at commit, after rewriting files, or with a stack
 * trace), and a catalog-managed one (PROTOCOL.md's catalogManaged: OPTIMIZE, VACUUM and log cleanup are prohibited
 * by path unless the catalog permits them; vacuumProtocolCheck likewise makes VACUUM check the writer protocol).
 */
public final class ProtocolGuard {

    /** The catalog-managed commits feature and its preview name (Delta 4.0.0's catalogOwned-preview). */
    static final Set<String> CATALOG_MANAGED = Set.of("catalogManaged", "catalogOwned-preview");

    private ProtocolGuard() {
    }

    /** @throws UnsupportedProtocolException when the table is catalog-managed or names a feature this runtime lacks */
    public static void check(String uri, Protocol protocol) {
        Set<String> named = new TreeSet<>(Scala.list(protocol.readerFeatureNames().toSeq()));
        named.addAll(Scala.list(protocol.writerFeatureNames().toSeq()));
        refuseCatalogManaged(uri, named);
        List<String> unsupported = new ArrayList<>();
        for (String feature : named) {
            if (TableFeature$.MODULE$.featureNameToFeature(feature).isEmpty()) {
                unsupported.add(feature);
            }
        }
        if (!unsupported.isEmpty()) {
            throw unsupported(uri, unsupported);
        }
    }

    /** What delta-spark's own refusal to load the snapshot means here, without its stack trace. */
    public static UnsupportedProtocolException refused(String uri, DeltaUnsupportedTableFeatureException e) {
        Set<String> features = new TreeSet<>(Scala.list(e.unsupported().toSeq()));
        refuseCatalogManaged(uri, features);
        return unsupported(uri, new ArrayList<>(features));
    }

    private static void refuseCatalogManaged(String uri, Set<String> features) {
        for (String f : features) {
            if (CATALOG_MANAGED.contains(f)) {
                throw new UnsupportedProtocolException(uri + ": catalog-managed table (table feature " + f + "): its "
                        + "catalog owns its commits, and the Delta protocol forbids OPTIMIZE, VACUUM and log cleanup by "
                        + "path unless the catalog permits them; nothing was changed. Maintain it through its catalog");
            }
        }
    }

    private static UnsupportedProtocolException unsupported(String uri, List<String> features) {
        return new UnsupportedProtocolException(uri + ": the table uses table feature(s) " + features + ", which this job "
                + "runtime (delta-spark " + io.delta.package$.MODULE$.VERSION() + ") does not support; nothing was changed. Run "
                + "the job on a runtime that supports them");
    }
}
