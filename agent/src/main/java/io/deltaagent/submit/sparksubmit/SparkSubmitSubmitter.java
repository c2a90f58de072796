package io.deltaagent.submit.sparksubmit;

import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobProgress;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobStorage;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResultReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.SparkLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits each job with Spark's launcher ({@code bin/spark-submit} of a configured Spark home) to any Spark
 * master. spark-submit is told to wait for the application ({@code *.submission.waitAppCompletion}), so its exit
 * is the job's end on every master, including Kubernetes, whose application states the launcher does not report
 * reliably. The job's result document is read back from {@code result-dir}. A cancelled or timed-out job is
 * killed on the cluster too: by its deterministic driver pod name on Kubernetes, by its driver id on a
 * standalone master in cluster mode, and by stopping spark-submit (which owns the application) otherwise.
 */
public final class SparkSubmitSubmitter implements JobSubmitter {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSubmitSubmitter.class);
    private static final String MAIN_CLASS = "io.deltaagent.jobs.MaintenanceJob";
    private static final Pattern STANDALONE_DRIVER = Pattern.compile("(driver-\\d{14}-\\d{4,})");

    private final SparkSubmitSettings settings;
    private final ResultReader results;
    private final Path workDir;
    private final Clock clock;

    public SparkSubmitSubmitter(SparkSubmitSettings settings, ResultReader results, Path workDir, Clock clock) {
        this.settings = settings;
        this.results = results;
        this.workDir = workDir;
        this.clock = clock;
        settings.sparkSubmit();
    }

    @Override
    public String backend() {
        return "spark-submit";
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return settings.master() + " (" + settings.deployMode() + " mode), " + settings.sizing().workers(spec.bytesToRewrite())
                + " executor(s)";
    }

    @Override
    public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        String attempt = spec.idempotencyToken() + "-" + Long.toString(clock.millis(), 36);
        String result = settings.resultDir().replaceAll("/+$", "") + "/" + attempt + ".json";
        Path out = workDir.resolve(attempt + ".out");
        Path log = workDir.resolve(attempt + ".log");
        Instant started = clock.instant();
        Process process;
        try {
            Files.createDirectories(workDir);
            if (!hasScheme(settings.resultDir())) {
                Files.createDirectories(Path.of(settings.resultDir()));
            }
            process = launcher(spec, attempt, result).redirectOutput(out.toFile()).redirectError(log.toFile()).launch();
        } catch (IOException e) {
            throw new BackendException("spark-submit: cannot start " + settings.sparkSubmit() + " for " + spec.table() + ": "
                    + e.getMessage(), false, e);
        }
        LOG.info("{}: {} submitted to {} with spark-submit; its log: {}", spec.table(), spec.action(), settings.master(), log);
        JobProgress.current().submitted("spark-submit to " + settings.master() + " (log " + log + ")", null);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                cancel(process, attempt, log);
                return JobOutcome.timedOut("the job", timeout, " and was killed; spark-submit's log: " + log, started,
                        clock.instant(), read(result).orElse(null));
            }
        } catch (InterruptedException e) {
            cancel(process, attempt, log);
            throw e;
        }
        Instant ended = clock.instant();
        int exit = process.exitValue();
        Optional<String> document;
        String unreadable = "";
        try {
            document = read(result).or(() -> lastJsonLine(out));
        } catch (BackendException e) {
            // the job has run: a result that cannot be read is this run's failure, never a reason to submit it again
            document = lastJsonLine(out);
            unreadable = "; its result " + result + " could not be read: " + e.getMessage();
        }
        // no result document is a failed run, not a backend failure to retry: the driver may have run and committed, and a
        // second submit would run the job again (the next maintain settles such a run from the log by its commit tag)
        return JobOutcome.judged("spark-submit of " + spec.action() + " on " + settings.master(),
                exit == 0 ? JobState.SUCCEEDED : JobState.FAILED, started, ended, document.orElse(null),
                "the job failed (spark-submit exit " + exit + (document.isEmpty() ? ", no result document" : "") + ")", result,
                unreadable + "; spark-submit's log: " + log);
    }

    SparkLauncher launcher(JobSpec spec, String attempt, String result) {
        Map<String, String> env = new HashMap<>();
        env.put("SPARK_HOME", settings.sparkHome().toString());
        if (System.getenv("JAVA_HOME") == null) {
            env.put("JAVA_HOME", System.getProperty("java.home"));
        }
        int executors = settings.sizing().workers(spec.bytesToRewrite());
        SparkLauncher launcher = new SparkLauncher(env)
                .setSparkHome(settings.sparkHome().toString())
                .setMaster(settings.master())
                .setDeployMode(settings.deployMode())
                .setAppName("delta-agent " + spec.action().name().toLowerCase(Locale.ROOT) + " " + spec.table())
                .setAppResource(settings.jobsJar())
                .setMainClass(MAIN_CLASS)
                // wait for the application on every master: spark-submit's exit is the job's end
                .setConf("spark.kubernetes.submission.waitAppCompletion", "true")
                .setConf("spark.standalone.submit.waitAppCompletion", "true")
                .setConf("spark.yarn.submit.waitAppCompletion", "true")
                .setConf("spark.executor.instances", String.valueOf(executors))
                .setConf("spark.ui.showConsoleProgress", "false");
        if (settings.isStandalone()) {
            int cores = Integer.parseInt(settings.conf().getOrDefault("spark.executor.cores", "1"));
            launcher.setConf("spark.cores.max", String.valueOf(executors * cores));
        }
        if (settings.isKubernetes()) {
            launcher.setConf("spark.kubernetes.driver.pod.name", podName(attempt));
        }
        settings.jars().forEach(launcher::addJar);
        settings.conf().forEach(launcher::setConf);
        // S3A for an s3:// or s3n:// table, as the agent reads it, unless the backend's spark-conf maps the scheme itself
        JobStorage.NONE.sparkConfFor(spec.table()).forEach((k, v) -> {
            if (!settings.conf().containsKey(k)) {
                launcher.setConf(k, v);
            }
        });
        launcher.addAppArgs(spec.jobArguments().toArray(String[]::new));
        launcher.addAppArgs("--result", result);
        return launcher;
    }

    /** A Kubernetes object name (at most 63 characters of [a-z0-9-]) that names this attempt's driver pod. */
    static String podName(String attempt) {
        String name = attempt.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return name.length() <= 63 ? name : name.substring(name.length() - 63).replaceAll("^-+", "");
    }

    /** Stops the application on the cluster, then spark-submit itself. */
    private void cancel(Process process, String attempt, Path log) {
        Optional<String> submission = Optional.empty();
        if (settings.isKubernetes() && "cluster".equals(settings.deployMode())) {
            submission = Optional.of(settings.conf().getOrDefault("spark.kubernetes.namespace", "default") + ":" + podName(attempt));
        } else if (settings.isStandalone() && "cluster".equals(settings.deployMode())) {
            submission = standaloneDriverId(log);
        }
        submission.ifPresent(id -> kill(id, log));
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(settings.killGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void kill(String submissionId, Path log) {
        try {
            Process killer = new ProcessBuilder(settings.sparkSubmit().toString(), "--master", settings.master(), "--kill", submissionId)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            if (!killer.waitFor(settings.killGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                killer.destroyForcibly();
            }
        } catch (IOException e) {
            LOG.warn("spark-submit: cannot kill {} on {}: {}", submissionId, settings.master(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Optional<String> standaloneDriverId(Path log) {
        try {
            Matcher m = STANDALONE_DRIVER.matcher(Files.readString(log));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<String> read(String result) {
        return results.read(result);
    }

    /** In client mode the driver's stdout is spark-submit's: the job prints its result as the last line. */
    private static Optional<String> lastJsonLine(Path out) {
        try {
            List<String> lines = Files.readAllLines(out);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).trim();
                if (!line.isEmpty()) {
                    return line.startsWith("{") ? Optional.of(line) : Optional.empty();
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasScheme(String location) {
        return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") && !location.matches("^[a-zA-Z]:\\\\.*");
    }
}
