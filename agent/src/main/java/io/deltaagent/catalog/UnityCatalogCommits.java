package io.deltaagent.catalog;

import io.deltaagent.config.CatalogOptions;
import io.deltaagent.config.CatalogTableRef;
import io.deltaagent.config.CatalogsConfig;
import io.deltaagent.deltalog.CatalogCommits;
import io.deltaagent.deltalog.RatifiedCommits;
import io.deltaagent.storage.TableLocation;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The audit's {@link CatalogCommits} for tables reached through a Unity Catalog entry: asks that catalog (get table, then
 * get commits) and turns every failure into an answer that says why, so the audit falls back to the published versions.
 * Tables of other catalog types, or reached by path only, are not asked. One client per catalog, opened on first use.
 */
public final class UnityCatalogCommits implements CatalogCommits, AutoCloseable {

    private final CatalogsConfig catalogs;
    private final Map<String, String> env;
    /** canonical table path -> what a catalog calls it */
    private final Map<String, CatalogTableRef> names;
    private final Map<String, UnityCatalogClient> clients = new HashMap<>();

    public UnityCatalogCommits(CatalogsConfig catalogs, Map<String, String> env, Map<String, CatalogTableRef> names) {
        this.catalogs = Objects.requireNonNull(catalogs, "catalogs");
        this.env = Objects.requireNonNull(env, "env");
        this.names = Map.copyOf(names);
    }

    @Override
    public Optional<Answer> ask(TableLocation table) {
        CatalogTableRef ref = names.get(table.display());
        CatalogsConfig.Catalog c = ref == null ? null : catalogs.get(ref.catalog()).orElse(null);
        if (c == null || !CatalogOptions.UNITY.equals(c.type())) {
            return Optional.empty();
        }
        try {
            Optional<RatifiedCommits> commits = client(c).ratifiedCommits(ref.table());
            return Optional.of(commits.map(r -> Answer.of(c.name(), r)).orElseGet(() -> Answer.unavailable(c.name(),
                    "it does not offer GET /delta/preview/commits (HTTP 404 or 501)")));
        } catch (CatalogException e) {
            // the message starts "catalog <name>: ", said once by the answer
            String detail = e.getMessage().startsWith("catalog " + c.name() + ": ")
                    ? e.getMessage().substring(("catalog " + c.name() + ": ").length()) : e.getMessage();
            return Optional.of(Answer.unavailable(c.name(), detail));
        } catch (RuntimeException e) {
            return Optional.of(Answer.unavailable(c.name(), e.toString()));
        }
    }

    private synchronized UnityCatalogClient client(CatalogsConfig.Catalog c) {
        return clients.computeIfAbsent(c.name(), n -> (UnityCatalogClient) CatalogClients.open(c, env));
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(UnityCatalogClient::close);
        clients.clear();
    }
}
