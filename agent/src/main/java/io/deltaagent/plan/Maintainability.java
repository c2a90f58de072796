package io.deltaagent.plan;

import io.deltaagent.features.JobRuntime;
import io.deltaagent.features.TableFeatures;
import io.deltaagent.health.CatalogManaged;
import io.deltaagent.health.TableIdentity;
import java.util.List;
import java.util.Optional;

/**
 * Whether the agent may rewrite, vacuum or clean up a table by path with a job runtime: checked before anything is
 * planned, so a refused table gets no job at all (exit 4, "not maintainable here"), never a job that fails on it.
 */
public final class Maintainability {

    private Maintainability() {
    }

    /** @return why the table is not maintainable here, or empty when it is */
    public static Optional<String> refusal(TableIdentity identity, JobRuntime runtime) {
        CatalogManaged managed = identity.catalogManaged();
        if (managed != null) {
            return Optional.of("not maintainable here: catalog-managed table (table feature " + managed.feature()
                    + "): its catalog owns its commits, and the Delta protocol forbids OPTIMIZE, VACUUM and log cleanup by "
                    + "path unless the catalog permits them; maintain it through its catalog. Audited as of "
                    + (managed.catalogVersion() != null ? "the catalog's latest version " + managed.catalogVersion()
                            : "published version " + managed.publishedVersion()));
        }
        List<String> unsupported = runtime.unsupported(identity.writerFeatures());
        if (!unsupported.isEmpty()) {
            String why = runtime.known()
                    ? "which " + runtime.display() + " does not support"
                    : "and this build does not know which features " + runtime.display() + " supports";
            String vacuum = identity.writerFeatures().contains(TableFeatures.VACUUM_PROTOCOL_CHECK)
                    ? " (vacuumProtocolCheck: VACUUM too must support every writer feature)" : "";
            return Optional.of("not maintainable here: the table uses writer feature(s) " + unsupported + ", " + why
                    + vacuum + "; its jobs would refuse it. Run its maintenance on a runtime that supports them");
        }
        return Optional.empty();
    }
}
