package io.deltaagent.cli;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.TableAuditor;
import io.deltaagent.catalog.CatalogListing;
import io.deltaagent.catalog.CatalogTables;
import io.deltaagent.catalog.UnityCatalogCommits;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.CatalogTableRef;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.ConfigLocation;
import io.deltaagent.config.ConfigLookup;
import io.deltaagent.config.TableEntry;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.discover.TableDiscovery;
import io.deltaagent.error.ConfigException;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.storage.HadoopConfFactory;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.AuditSampleStore;
import io.deltaagent.store.CatalogNameStore;
import io.deltaagent.store.HistoryStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delta-agent audit}: measure tables from their logs and list the thresholds they cross. */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Measure tables from their logs and list the maintenance they call for; acts on nothing.",
        description = {"Audit Delta tables: file counts and sizes, small files, partitions, log shape, log-read latency,",
            "writer cadence and tombstones, read straight from each table's _delta_log (no Spark).",
            "Lists every threshold a table crosses and the maintenance it calls for; acts on nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every table healthy",
            "1:at least one table could not be read (the others are still reported)",
            "2:bad usage or config",
            "3:maintenance due on at least one table (--on-due skip: 99, --on-due succeed: 0)",
            "75:no table could be read, each for a transient cause (storage or catalog unavailable, throttled, timing out): retry later"})
class AuditCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format { text, json }

    @Parameters(paramLabel = "TABLE", arity = "0..*",
            description = "Tables to audit: local paths, file:, s3a://, s3://, s3n://, gs://, abfss:// or abfs:// URIs.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config: thresholds, per-table overrides, the tables it lists and roots to discover. Default: "
                    + "DELTA_AGENT_CONFIG, else $XDG_CONFIG_HOME/delta-agent/agent.yaml, else /etc/delta-agent/agent.yaml, "
                    + "else the built-in defaults.")
    Path config;

    /** The config file used and why, null for the built-in defaults; set by {@link #loadConfig()}. */
    ConfigLocation configLocation;

    @Option(names = "--discover", paramLabel = "ROOT",
            description = "Audit every Delta table below ROOT (local or a URI as for TABLE); repeatable.")
    List<String> discover = new ArrayList<>();

    @Option(names = "--catalog", paramLabel = "NAME",
            description = "Audit the Delta tables of catalog NAME (configured under catalogs: in --config); repeatable. "
                    + "Given, only the catalogs named are listed; else every catalog whose discover is true.")
    List<String> catalogs = new ArrayList<>();

    @Option(names = "--reader", paramLabel = "READER", converter = ReaderConverter.class,
            description = "Snapshot reader: auto (the projected reader, Delta Kernel for a table it cannot read), projected "
                    + "(the agent's own projected read of the log), standalone or kernel. Overrides the config's reader.")
    ReaderChoice reader;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). JSON is one document on one line.")
    Format format;

    @Option(names = "--on-due", paramLabel = "fail|skip|succeed", defaultValue = "fail",
            description = "Exit status when maintenance is due: fail (3), skip (99, which Airflow's BashOperator "
                    + "reports as skipped) or succeed (0). Default: ${DEFAULT-VALUE}.")
    OnDue onDue;

    @Option(names = "--details", negatable = true,
            description = "Per-table details (histogram, partitions, log, history). Default: on for a single table in text.")
    Boolean details;

    @Option(names = {"-v", "--verbose"}, description = "Log to stderr, with stack traces for failures.")
    boolean verbose;

    @Mixin
    HistoryDbOption historyDb;

    final Main.Context context;
    /** The Hadoop configuration the audit used; set by {@link #audit()}. */
    Configuration hadoopConf;

    /** The reader the audit used; set by {@link #audit()}. */
    LogHealthReader logReader;

    /** Whether log-read latencies are measured after a warm-up (commands that compare latencies within one process). */
    boolean warmUpReader() {
        return false;
    }

    /** What catalogs call the audited tables, by path; set by {@link #audit()}. */
    Map<String, CatalogTableRef> catalogNames = Map.of();

    /** The config the audit used; set by {@link #audit()}. */
    AgentConfig agentConfig;

    /** Parses --reader with the config's words. */
    static final class ReaderConverter implements picocli.CommandLine.ITypeConverter<ReaderChoice> {
        @Override
        public ReaderChoice convert(String value) {
            try {
                return ReaderChoice.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    AuditCommand(Main.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        try {
            AuditReport report = audit();
            if (report == null) {
                return ExitCode.USAGE;
            }
            return render(report); // maintain's render still reads through the reader (its before and after)
        } finally {
            if (logReader != null) {
                logReader.close();
            }
        }
    }

    /** Writes the report; {@code plan} overrides this to plan from it. */
    int render(AuditReport report) {
        int exit = onDue.apply(report.exitCode());
        if (format == Format.json) {
            new JsonAuditWriter().write(report, exit, context.out());
        } else {
            boolean showDetails = details != null ? details : report.outcomes().size() == 1;
            new TextAuditWriter().write(report, showDetails, context.out());
        }
        return exit;
    }

    private static final String NO_TABLES = "delta-agent: no tables to audit: name TABLE paths, a --config that lists tables, "
            + "or --discover ROOT, or --catalog NAME";

    /**
     * Loads --config and checks the TABLE arguments, reading no table; false (after saying why on stderr) on bad usage or
     * config.
     */
    boolean loadConfig() {
        try {
            configLocation = ConfigLookup.logged(new ConfigLookup(context.host()).find(config)).orElse(null);
            agentConfig = configLocation == null ? AgentConfig.empty() : new ConfigLoader().load(configLocation);
        } catch (ConfigException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return false;
        }
        for (String t : tables) {
            try {
                agentConfig.entryFor(t);
            } catch (IllegalArgumentException e) {
                context.err().println("delta-agent: TABLE " + t + ": " + e.getMessage());
                return false;
            }
        }
        for (String c : catalogs) {
            try {
                agentConfig.catalogs().require("--catalog", c);
            } catch (ConfigException e) {
                context.err().println("delta-agent: " + e.getMessage() + (configLocation == null ? "; catalogs are set up in --config" : ""));
                return false;
            }
        }
        if (tables.isEmpty() && discover.isEmpty() && agentConfig.tables().isEmpty() && agentConfig.discoverRoots().isEmpty()
                && catalogs.isEmpty() && agentConfig.catalogTables().isEmpty() && !agentConfig.listsCatalogs()) {
            context.err().println(NO_TABLES);
            return false;
        }
        return true;
    }

    /** Audits every selected table; null (after saying why on stderr) on bad usage or config. */
    AuditReport audit() {
        Instant started = context.clock().instant();
        long t0 = System.nanoTime();
        if (!loadConfig()) {
            return null;
        }
        hadoopConf = HadoopConfFactory.create(agentConfig.hadoop(), context.env());

        Map<String, TableEntry> entries = new LinkedHashMap<>();
        List<AuditOutcome> outcomes = new ArrayList<>();
        // one entry per table however often and however spelled it was named (TablePaths)
        for (String t : tables) {
            TableEntry entry;
            try {
                entry = agentConfig.entryFor(t);
            } catch (IllegalArgumentException e) {
                context.err().println("delta-agent: TABLE " + t + ": " + e.getMessage());
                return null;
            }
            entries.putIfAbsent(entry.path(), entry);
        }
        agentConfig.tables().forEach(t -> entries.putIfAbsent(t.path(), t));
        List<String> roots = new ArrayList<>(agentConfig.discoverRoots());
        roots.addAll(discover);
        try (TableDiscovery discovery = new TableDiscovery(hadoopConf, 12)) {
            for (String root : roots) {
                try {
                    discovery.discover(root).forEach(t -> {
                        TableEntry entry = agentConfig.entryFor(t);
                        entries.putIfAbsent(entry.path(), entry);
                    });
                } catch (DeltaAgentException e) {
                    outcomes.add(AuditOutcome.failed(new TableReadException(root, TableReadException.Kind.NOT_FOUND,
                            e.getMessage().substring(e.getMessage().indexOf(": ") + 2), e)));
                }
            }
        }
        List<CatalogListing> listings = resolveCatalogs(entries, outcomes);
        if (entries.isEmpty() && outcomes.isEmpty()) {
            context.err().println(NO_TABLES);
            return null;
        }

        Map<String, CatalogTableRef> names = new LinkedHashMap<>();
        entries.values().stream().filter(e -> e.catalogTable() != null).forEach(e -> names.put(e.path(), e.catalogTable()));
        catalogNames = Map.copyOf(names);
        // a catalog-managed table reached through a Unity Catalog is read as of the catalog's version (its ratified commits)
        UnityCatalogCommits catalogCommits = new UnityCatalogCommits(agentConfig.catalogs(), context.env(), names);
        logReader = new LogHealthReader(new HadoopStorage(hadoopConf), context.clock(), warmUpReader(), catalogCommits);
        TableAuditor auditor = new TableAuditor(logReader, new BreachDetector());
        Map<String, io.deltaagent.config.TableSettings> settings = new LinkedHashMap<>();
        int i = 0;
        for (TableEntry entry : entries.values()) {
            i++;
            if (entries.size() > 1) {
                context.notes().printf("[%d/%d] auditing %s%n", i, entries.size(), entry.path());
            }
            TableEntry effective = reader == null ? entry : entry.withSettings(entry.settings().withReader(reader));
            settings.put(entry.path(), effective.settings());
            AuditOutcome outcome = auditor.audit(effective);
            if (verbose && outcome.error() != null) {
                outcome.error().printStackTrace(context.err());
            }
            outcomes.add(outcome);
        }
        auditor.close();
        catalogCommits.close();
        AuditReport report = new AuditReport(started, (System.nanoTime() - t0) / 1_000_000, outcomes, settings, names, listings);
        if (recordsSamples()) {
            recordSamples(outcomes.stream().map(o -> o.sample(o.health() == null ? context.clock().instant()
                    : o.health().measuredAt())).toList());
        }
        return report;
    }

    /**
     * Adds the tables of the config's catalogs to {@code entries} (a table already named by path gets the catalog's name
     * beside it) and a failed outcome per catalog or catalog table that could not be resolved; returns the listings.
     */
    private List<CatalogListing> resolveCatalogs(Map<String, TableEntry> entries, List<AuditOutcome> outcomes) {
        if (catalogs.isEmpty() && agentConfig.catalogTables().isEmpty() && !agentConfig.listsCatalogs()) {
            return List.of();
        }
        try (CatalogTables catalogTables = new CatalogTables(agentConfig, context.env())) {
            CatalogTables.Resolved resolved = catalogTables.resolve(Set.copyOf(catalogs));
            resolved.entries().forEach((path, e) -> entries.merge(path, e,
                    (old, found) -> old.catalogTable() == null ? old.withCatalogTable(found.catalogTable()) : old));
            resolved.listings().forEach(l -> context.notes().println(l.summary()));
            resolved.failures().forEach(f -> outcomes.add(AuditOutcome.failed(f)));
            return resolved.listings();
        }
    }

    /** Whether this command records its audits in the history database: audit and plan when --history-db is given. */
    boolean recordsSamples() {
        return historyDb.given();
    }

    /**
     * Adds {@code samples} to the trend in the history database and thins its old rows; a database that fails only warns
     * (the audit's result stands).
     */
    void recordSamples(List<AuditSample> samples) {
        try (HistoryStore store = historyDb.open(context.env())) {
            AuditSampleStore trend = new AuditSampleStore(store);
            trend.record(samples);
            trend.compact(context.clock().instant());
            new CatalogNameStore(store).record(catalogNames, context.clock().instant());
        } catch (DeltaAgentException e) {
            context.notes().println("delta-agent: warning: the audit samples were not recorded: " + e.getMessage());
        }
    }
}
