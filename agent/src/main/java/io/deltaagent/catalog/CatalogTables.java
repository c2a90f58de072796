package io.deltaagent.catalog;

import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.CatalogOptions;
import io.deltaagent.config.CatalogTableEntry;
import io.deltaagent.config.CatalogsConfig;
import io.deltaagent.config.Durations;
import io.deltaagent.config.TableEntry;
import io.deltaagent.error.TableReadException;
import io.deltaagent.storage.TablePaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the config's catalogs into table entries: the {@code tables:} entries that name a catalog table are looked up,
 * and the selected catalogs are listed. Each call is bounded by its catalog's {@code timeout}; a catalog that fails or
 * does not answer becomes a failure naming it, and the other catalogs and tables are resolved as usual.
 *
 * <p>A table's identity stays its canonical location: an entry reached through a catalog carries the catalog's name
 * for it beside that location, and the path-keyed settings of {@code tables:} apply to it.
 */
public final class CatalogTables implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogTables.class);

    /**
     * What resolving found.
     *
     * @param entries the tables, by canonical location
     * @param listings the catalogs listed
     * @param failures one per catalog that could not be listed or table that could not be looked up
     */
    public record Resolved(Map<String, TableEntry> entries, List<CatalogListing> listings, List<TableReadException> failures) {
        public Resolved {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
            listings = List.copyOf(listings);
            failures = List.copyOf(failures);
        }

        /** True when every catalog answered: only then may a table missing from them be taken as gone. */
        public boolean complete() {
            return failures.isEmpty();
        }
    }

    private final AgentConfig config;
    private final BiFunction<CatalogsConfig.Catalog, Map<String, String>, CatalogClient> factory;
    private final Map<String, String> env;
    private final Map<String, CatalogClient> clients = new java.util.concurrent.ConcurrentHashMap<>();
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "catalog-call");
        t.setDaemon(true);
        return t;
    });

    public CatalogTables(AgentConfig config, Map<String, String> env) {
        this(config, env, CatalogClients::open);
    }

    CatalogTables(AgentConfig config, Map<String, String> env,
                  BiFunction<CatalogsConfig.Catalog, Map<String, String>, CatalogClient> factory) {
        this.config = config;
        this.env = Map.copyOf(env);
        this.factory = factory;
    }

    /**
     * The catalog tables of the config.
     *
     * @param selected catalogs to list (--catalog); empty: every catalog with {@code discover: true}
     */
    public Resolved resolve(Set<String> selected) {
        Map<String, TableEntry> entries = new LinkedHashMap<>();
        List<CatalogListing> listings = new ArrayList<>();
        List<TableReadException> failures = new ArrayList<>();
        for (CatalogTableEntry named : config.catalogTables()) {
            String subject = named.ref().toString();
            try {
                Optional<CatalogTable> t = bounded(named.ref().catalog(), c -> c.lookup(named.ref().table()));
                if (t.isEmpty()) {
                    failures.add(new TableReadException(subject, TableReadException.Kind.NOT_FOUND,
                            "catalog " + named.ref().catalog() + " has no table " + named.ref().table()));
                    continue;
                }
                String path = location(t.get());
                entries.putIfAbsent(path, new TableEntry(path, named.settings(), named.ref()));
            } catch (CatalogException e) {
                failures.add(new TableReadException(subject, kind(e), e.getMessage(), e));
            }
        }
        for (CatalogsConfig.Catalog c : config.catalogs().byName().values()) {
            boolean list = selected.isEmpty() ? c.get(CatalogOptions.DISCOVER) : selected.contains(c.name());
            if (!list) {
                continue;
            }
            try {
                CatalogListing listing = bounded(c.name(), CatalogClient::list);
                listings.add(listing);
                LOG.info("{}", listing.summary());
                for (CatalogTable t : listing.tables()) {
                    try {
                        String path = location(t);
                        TableEntry entry = config.entryFor(path);
                        entries.putIfAbsent(path, entry.withCatalogTable(t.ref()));
                    } catch (CatalogException e) {
                        failures.add(new TableReadException(t.ref().toString(), TableReadException.Kind.NOT_FOUND, e.getMessage(), e));
                    }
                }
            } catch (CatalogException e) {
                failures.add(new TableReadException("catalog " + c.name(), kind(e), e.getMessage().substring(
                        ("catalog " + c.name() + ": ").length()), e));
            }
        }
        return new Resolved(entries, listings, failures);
    }

    private static TableReadException.Kind kind(CatalogException e) {
        return e.getCause() instanceof TimeoutException ? TableReadException.Kind.TIMED_OUT : TableReadException.Kind.STORAGE_ERROR;
    }

    private static String location(CatalogTable t) {
        try {
            return TablePaths.canonical(t.location());
        } catch (IllegalArgumentException e) {
            throw new CatalogException(t.catalog(), t.name() + ": its location '" + t.location() + "' is no table location: "
                    + e.getMessage(), e);
        }
    }

    /** Runs {@code call} on the catalog's client within the catalog's timeout. */
    private <T> T bounded(String catalog, java.util.function.Function<CatalogClient, T> call) {
        CatalogsConfig.Catalog c = config.catalogs().require("tables", catalog);
        Duration timeout = c.get(CatalogOptions.TIMEOUT);
        Future<T> f;
        try {
            CatalogClient client = clients.computeIfAbsent(catalog, n -> factory.apply(c, env));
            Callable<T> task = () -> call.apply(client);
            f = calls.submit(task);
        } catch (RuntimeException e) {
            if (e instanceof CatalogException ce) {
                throw ce;
            }
            throw new CatalogException(catalog, "cannot set up the client: " + e.getMessage(), e);
        }
        try {
            return f.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CatalogException(catalog, "did not answer within " + Durations.toConfigString(timeout)
                    + " (catalogs." + catalog + ".timeout)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CatalogException ce) {
                throw ce;
            }
            throw new CatalogException(catalog, String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new CatalogException(catalog, "interrupted", e);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        clients.values().forEach(CatalogClient::close);
    }
}
