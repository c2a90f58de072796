package io.deltaagent.cli;

import io.deltaagent.cli.doctor.BackendChecks;
import io.deltaagent.cli.doctor.Bounded;
import io.deltaagent.cli.doctor.CatalogChecks;
import io.deltaagent.cli.doctor.Check;
import io.deltaagent.cli.doctor.Checklist;
import io.deltaagent.cli.doctor.DaemonChecks;
import io.deltaagent.cli.doctor.StorageChecks;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.BackendOptions;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.ConfigLocation;
import io.deltaagent.config.ConfigLookup;
import io.deltaagent.config.StateDirectory;
import io.deltaagent.config.TableEntry;
import io.deltaagent.error.ConfigException;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.storage.HadoopConfFactory;
import io.deltaagent.store.HistoryInspection;
import io.deltaagent.submit.Backends;
import io.deltaagent.submit.JobStorage;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code delta-agent doctor}: is this setup right? One checklist of the config, the state directory and history database,
 * every table root and catalog, every backend, and the daemon's token and port, through the code paths the commands use.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Check the setup: config, history database, storage, catalogs, backends, the daemon's token and port.",
        description = {"A checklist with OK, WARN or FAIL and the fix for each failure. Reads only: no table, catalog or",
            "database is changed, and the history database is neither created nor migrated. Each remote check is bounded",
            "by --timeout. Credentials are checked for presence and never printed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed (warnings allowed)", "1:at least one check failed", "2:bad usage"})
final class DoctorCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The config to check. Default: as every command finds it (DELTA_AGENT_CONFIG, "
                    + "$XDG_CONFIG_HOME/delta-agent/agent.yaml, /etc/delta-agent/agent.yaml).")
    Path config;

    @Mixin
    HistoryDbOption historyDb;

    @Mixin
    LocalBackendOptions local;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json is one document.")
    AuditCommand.Format format;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = Positive.DurationValue.class,
            description = "How long each storage, catalog, database or backend check may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    private final Main.Context context;

    DoctorCommand(Main.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Bounded bounded = new Bounded(timeout);
        List<Check> checks = new ArrayList<>();
        AgentConfig cfg = config(checks);
        checks.addAll(history(bounded));
        if (cfg != null) {
            Configuration hadoop = HadoopConfFactory.create(cfg.hadoop(), context.env());
            checks.addAll(new StorageChecks(hadoop, bounded).check(cfg.tables().stream().map(TableEntry::path).toList(),
                    cfg.discoverRoots()));
            checks.addAll(new CatalogChecks(context.env(), bounded).check(cfg.catalogs()));
            Backends backends = new Backends(local.applyTo(cfg.backends()), new Backends.Environment(hadoop, local.sparkJobsDir(),
                    Paths.get(System.getProperty("java.io.tmpdir"), "delta-agent-jobs"), context.clock(), context.env(),
                    JobStorage.of(cfg.hadoop(), context.env())));
            checks.addAll(new BackendChecks(backends::apply, bounded).check(backendsUsed(cfg)));
            checks.addAll(new DaemonChecks(context.env()).check(cfg.daemon()));
        }
        Checklist list = new Checklist(checks);
        if (format == AuditCommand.Format.json) {
            list.writeJson(context.out(), Json.MAPPER, JsonAuditWriter.SCHEMA_VERSION);
        } else {
            list.writeText(context.out());
        }
        return list.ok() ? ExitCode.HEALTHY : ExitCode.TABLE_FAILED;
    }

    /** The config check; the config, or null when it cannot be used (the checks that need it are left out). */
    private AgentConfig config(List<Check> checks) {
        ConfigLookup lookup = new ConfigLookup(context.host());
        Optional<ConfigLocation> location;
        try {
            location = lookup.find(config);
        } catch (ConfigException e) {
            checks.add(Check.fail("config", e.getMessage(), "name an existing file with --config or " + ConfigLookup.ENV
                    + ", or unset it to use the well-known places"));
            return null;
        }
        if (location.isEmpty()) {
            checks.add(Check.warn("config", "none named and none at " + places(lookup) + ": the built-in defaults, no tables",
                    "write one at " + places(lookup) + ", or name one with --config or " + ConfigLookup.ENV));
            return AgentConfig.empty();
        }
        try {
            AgentConfig cfg = new ConfigLoader().load(location.get());
            checks.add(Check.ok("config", location.get() + ": valid; " + cfg.tables().size() + " tables, "
                    + cfg.discoverRoots().size() + " discovery roots, " + cfg.catalogs().byName().size() + " catalogs"));
            return cfg;
        } catch (ConfigException e) {
            checks.add(Check.fail("config", e.getMessage(), "correct the file (delta-agent config-reference lists every setting), "
                    + "or name another with --config or " + ConfigLookup.ENV));
            return null;
        }
    }

    private static String places(ConfigLookup lookup) {
        return String.join(" or ", lookup.wellKnownPlaces().stream().map(Path::toString).toList());
    }

    /** The state directory and the history database. */
    private List<Check> history(Bounded bounded) {
        List<Check> checks = new ArrayList<>();
        boolean needsStateDir = !historyDb.given();
        try {
            StateDirectory state = StateDirectory.of(context.host());
            checks.add(state.legacy()
                    ? Check.warn("state directory", state.toString(), "move the files of " + state.dir() + " to the new "
                            + "location named above (with no agent running)")
                    : Check.ok("state directory", state.toString()));
        } catch (ConfigException e) {
            String fix = "set XDG_STATE_HOME to a writable directory, or create /var/lib/delta-agent for this user";
            checks.add(needsStateDir ? Check.fail("state directory", e.getMessage(), fix)
                    : Check.warn("state directory", e.getMessage() + " (only detached sessions' logs need it here)", fix));
            if (needsStateDir) {
                return checks;
            }
        }
        HistoryDbOption.Resolved db;
        try {
            db = historyDb.resolve();
        } catch (ConfigException e) {
            checks.add(Check.fail("history database", e.getMessage(), "correct " + HistoryDbOption.ENV));
            return checks;
        }
        String name = "history database";
        checks.add(bounded.run(name, "the history database did not answer within " + bounded.timeout().toSeconds() + " s: check "
                + "its host, port and the network", () -> {
                    try {
                        return verdict(name, db, historyDb.inspect(context.env()));
                    } catch (DeltaAgentException e) {
                        return Check.fail(name, e.getMessage() + " (from " + db.source() + ")", "follow the message above, or name "
                                + "another database with --history-db or " + HistoryDbOption.ENV);
                    }
                }));
        return checks;
    }

    private static Check verdict(String name, HistoryDbOption.Resolved db, HistoryInspection h) {
        String where = h.database() + " (from " + db.source() + ")";
        if (!h.exists()) {
            return Check.ok(name, where + ": not created yet; the first command that records creates it at schema "
                    + h.latestVersion());
        }
        if (h.newerThanAgent()) {
            return Check.fail(name, where + ": schema " + h.schemaVersion() + " was written by a newer agent (this one knows up to "
                    + h.latestVersion() + ")", "upgrade this agent to the version the others run");
        }
        String runs = "; newest run " + h.newestRun() + h.highWaterMark().map(m -> ", high-water mark " + m).orElse("");
        if (h.pending() > 0) {
            return Check.warn(name, where + ": schema " + h.schemaVersion() + ", this agent's is " + h.latestVersion() + " ("
                    + h.pending() + " migrations pending)" + runs, "the next command that records (maintain, the daemon) "
                    + "migrates it; back the database up first");
        }
        return Check.ok(name, where + ": reachable, schema " + h.schemaVersion() + " (current)" + runs);
    }

    /** The backends the config's tables and defaults use, and every backend it sets up. */
    private static Set<String> backendsUsed(AgentConfig cfg) {
        Set<String> names = new TreeSet<>();
        names.add(cfg.defaultSettings().backend());
        cfg.tables().forEach(t -> names.add(t.settings().backend()));
        BackendOptions.NAMES.stream().filter(n -> cfg.backends().section(n).isPresent()).forEach(names::add);
        return names;
    }
}
