package io.deltaagent.cli;

import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.ConfigLocation;
import io.deltaagent.config.ConfigLookup;
import io.deltaagent.error.ConfigException;
import io.deltaagent.daemon.ConfigGeneration;
import io.deltaagent.daemon.Daemon;
import io.deltaagent.daemon.DaemonMetrics;
import io.deltaagent.daemon.Signals;
import io.deltaagent.daemon.http.BearerToken;
import io.deltaagent.daemon.http.HttpApi;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.deltalog.IncrementalLogReader;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.discover.TableDiscovery;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.storage.HadoopConfFactory;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.config.BackendOptions;
import io.deltaagent.storage.HadoopConfFactory;
import io.deltaagent.submit.Backends;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code delta-agent daemon}: the long-running agent (composition root of the daemon). */
@Command(name = "daemon", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Run as a service: scheduled audits, admitted maintenance, HTTP health, metrics and API.",
        description = {"Run as a service: audit tables on their schedules, admit maintenance within windows and caps",
            "(the tables that gain most first), run it on the backend, record before/after in the history database.",
            "HTTP: /healthz, /readyz, /metrics, /api/tables, /api/history. SIGTERM stops cleanly (twice: at once);",
            "SIGHUP reloads the config (an invalid one is rejected and the old one kept)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "2:bad usage or config", "75:the history database unreachable at start: retry later",
            "143:stopped at once by a second signal"})
final class DaemonCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonCommand.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML config: tables, discovery roots, thresholds, schedules and windows, and the daemon: section. "
                    + "Default: DELTA_AGENT_CONFIG, else $XDG_CONFIG_HOME/delta-agent/agent.yaml, else /etc/delta-agent/agent.yaml.")
    Path config;

    /** The file found for --config (reloaded on SIGHUP). */
    private ConfigLocation location;

    @Mixin
    HistoryDbOption historyDb;

    @Mixin
    LocalBackendOptions local;

    @Option(names = "--catalog", paramLabel = "NAME",
            description = "Audit the Delta tables of catalog NAME (configured under catalogs:); repeatable. Given, only the "
                    + "catalogs named are listed; else every catalog whose discover is true.")
    java.util.List<String> catalogs = new java.util.ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the local backend keeps each job's result and log (default: <tmp>/delta-agent-jobs).")
    Path workDir;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging, with stack traces.")
    boolean verbose;

    @Option(names = "--shadow", description = "Shadow mode (as daemon.shadow: true): make and record every decision, submit "
            + "nothing; report --shadow shows the what-if.")
    boolean shadow;

    private final Main.Context context;
    /** What re-audits start from, kept across config reloads. */
    private final IncrementalLogReader.Baselines baselines = new IncrementalLogReader.Baselines();

    DaemonCommand(Main.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        ConfigLoader loader = new ConfigLoader();
        AgentConfig agentConfig;
        try {
            ConfigLookup lookup = new ConfigLookup(context.host());
            location = ConfigLookup.logged(lookup.find(config)).orElseThrow(() -> new ConfigException("no config file: give "
                    + "--config FILE, set " + ConfigLookup.ENV + ", or put one at " + String.join(" or ",
                    lookup.wellKnownPlaces().stream().map(Path::toString).toList())));
            agentConfig = shadowed(loader.load(location));
            for (String c : catalogs) {
                agentConfig.catalogs().require("--catalog", c);
            }
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.USAGE;
        }
        HistoryStore store;
        try {
            store = historyDb.openPooled(context.env(), Daemon.historyConnections(agentConfig.daemon()));
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.ofHistoryFailure(e);
        }
        // closed last, after the scheduler and the API: an embedded database closes with it, not in a JVM exit hook
        try (store) {
            return run(loader, agentConfig, store);
        }
    }

    private int run(ConfigLoader loader, AgentConfig agentConfig, HistoryStore store) throws InterruptedException {
        Daemon daemon;
        HttpApi http;
        try {
            String instanceId = agentConfig.daemon().instanceId() != null ? agentConfig.daemon().instanceId() : hostName();
            Path jobs = local.sparkJobsDir();
            // every backend the config sets up, each with its circuit breaker; built on first use, misconfiguration refused now
            Backends backends = new Backends(local.applyTo(agentConfig.backends()), new Backends.Environment(
                    HadoopConfFactory.create(agentConfig.hadoop(), context.env()), jobs, workDir != null ? workDir
                    : Paths.get(System.getProperty("java.io.tmpdir"), "delta-agent-jobs"), context.clock(), context.env(),
                    io.deltaagent.submit.JobStorage.of(agentConfig.hadoop(), context.env())));
            DaemonMetrics metrics = new DaemonMetrics(context.clock());
            metrics.historyDatabase(store);
            metrics.buildInfo(Version.current(), Version.commit());
            for (String name : BackendOptions.NAMES) {
                // the local backend when its Spark runtime is here (not in the slim archive or the image) or set up
                boolean localHere = name.equals(BackendOptions.LOCAL) && jobs != null && java.nio.file.Files.isDirectory(jobs);
                if (localHere || agentConfig.backends().section(name).isPresent()) {
                    backends.apply(name);
                    metrics.circuitBreaker(name, () -> DaemonMetrics.CircuitState.valueOf(backends.created().get(name).circuitState().name()));
                }
            }
            daemon = new Daemon(agentConfig, this::generation, backends, store, metrics, Json.MAPPER, context.clock(), instanceId);
            http = new HttpApi(agentConfig.daemon().httpAddress(), BearerToken.resolve(agentConfig.daemon(), context.env()),
                    daemon, Json.MAPPER);
            http.start();
            daemon.start();
            context.out().println("delta-agent daemon " + instanceId + " listening on http://"
                    + agentConfig.daemon().httpAddress().substring(0, agentConfig.daemon().httpAddress().lastIndexOf(':'))
                    + ":" + http.port() + "/");
        } catch (DeltaAgentException e) {
            context.err().println("delta-agent: " + e.getMessage());
            return ExitCode.USAGE;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Daemon running = daemon;
        Signals.install(stop::countDown, () -> {
            Thread reload = new Thread(() -> reload(loader, running), "reload");
            // threads started from the signal thread have no context class loader; Quartz's JDBC store needs one
            reload.setContextClassLoader(DaemonCommand.class.getClassLoader());
            reload.start();
        });
        stop.await();
        daemon.stop();
        http.close();
        // after the stop: a generation replaced by a reload may still have had audits in flight until then
        built.forEach(g -> {
            g.auditor().close();
            g.reader().close();
        });
        return ExitCode.HEALTHY;
    }

    private void reload(ConfigLoader loader, Daemon daemon) {
        try {
            daemon.reload(shadowed(loader.load(location)));
        } catch (RuntimeException e) {
            LOG.error("SIGHUP: the config is not reloaded, the running one is kept: {}", e.getMessage());
        }
    }

    /** Every generation built (one per load and reload), to close their readers' threads when the daemon stops. */
    private final java.util.List<ConfigGeneration> built = new java.util.concurrent.CopyOnWriteArrayList<>();

    private ConfigGeneration generation(AgentConfig cfg) {
        Configuration conf = HadoopConfFactory.create(cfg.hadoop(), context.env());
        DaemonSettings daemon = cfg.daemon();
        // the baselines outlive a reload: a table whose settings changed is read in full by its own check
        DeltaLogReader reader = daemon.incrementalAudits()
                ? new IncrementalLogReader(new HadoopStorage(conf), context.clock(), daemon.fullAuditInterval(), baselines)
                : new LogHealthReader(new HadoopStorage(conf), context.clock());
        for (String c : catalogs) {
            cfg.catalogs().require("--catalog", c); // a reload that drops it is refused like any invalid config
        }
        ConfigGeneration g = new ConfigGeneration(cfg, reader, new TableAuditor(reader, new BreachDetector()),
                new TableDiscovery(conf, 12), new io.deltaagent.catalog.CatalogTables(cfg, context.env()),
                java.util.Set.copyOf(catalogs));
        built.add(g);
        return g;
    }

    /** With --shadow, the config's daemon in shadow mode whatever the file says (also after a reload). */
    private AgentConfig shadowed(AgentConfig cfg) {
        return shadow ? cfg.withDaemon(cfg.daemon().shadowed()) : cfg;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
