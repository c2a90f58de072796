package io.deltaagent.submit.local;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.jobs.result.ResultDocument;
import io.deltaagent.storage.StorageSchemes;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobProgress;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobStorage;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The embedded default backend: a fresh local Spark process per job (a child JVM running the spark-jobs
 * jar with {@code local[N]}), which starts, runs the one action and exits. Its result document is read
 * from the {@code --result} file it writes. The result file's path is the job's handle: a later agent
 * process finds the still-running child by it (its command line names the file) or reads the result it left.
 */
public final class LocalSparkSubmitter implements ResumableJobSubmitter {

    /** In the spark-jobs jar: the JVM options its Spark needs on Java 17 (the build writes them from the parent pom). */
    static final String JVM_OPTIONS_ENTRY = "io/deltaagent/jobs/spark-jvm-options";

    private final Path jobsJar;
    private final List<String> jvmOptions;
    private final Path sparkRuntime;
    private final Path workDir;
    private final int cores;
    private final String heap;
    private final Clock clock;
    private final JobStorage storage;

    /** @param sparkJobsTarget the spark-jobs build output: its application jar and {@code spark-runtime/} */
    public LocalSparkSubmitter(Path sparkJobsTarget, Path workDir, int cores, String heap, Clock clock) {
        this(sparkJobsTarget, workDir, cores, heap, clock, JobStorage.NONE);
    }

    /**
     * @param sparkJobsTarget the spark-jobs build output: its application jar and {@code spark-runtime/}
     * @param storage the storage settings and credentials each job gets
     */
    public LocalSparkSubmitter(Path sparkJobsTarget, Path workDir, int cores, String heap, Clock clock, JobStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.sparkRuntime = sparkJobsTarget.resolve("spark-runtime");
        this.jobsJar = jobsJar(sparkJobsTarget);
        this.jvmOptions = jvmOptions(jobsJar);
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.cores = cores;
        this.heap = heap;
        this.clock = clock;
        if (!Files.isDirectory(sparkRuntime)) {
            throw new DeltaAgentException("local backend: " + sparkRuntime + " is missing; build it with mvn -B -DskipTests package");
        }
    }

    /** The spark-jobs application jar in a spark-jobs build output. */
    public static Path jobsJar(Path target) {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("delta-agent-spark-jobs-.*\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith("-tests.jar"))
                    .findFirst()
                    .orElseThrow(() -> new DeltaAgentException("local backend: no spark-jobs jar in " + target
                            + "; build it with mvn -B -DskipTests package"));
        } catch (IOException e) {
            throw new DeltaAgentException("local backend: cannot read " + target + ": " + e.getMessage(), e);
        }
    }

    /** The options the jobs jar names for its JVM (the --add-opens Spark's own launcher would pass). */
    static List<String> jvmOptions(Path jar) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(JVM_OPTIONS_ENTRY);
            if (entry == null) {
                throw new DeltaAgentException("local backend: " + jar + " has no " + JVM_OPTIONS_ENTRY
                        + " (built by an older delta-agent?); rebuild it with mvn -B -DskipTests package");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+"));
            }
        } catch (IOException e) {
            throw new DeltaAgentException("local backend: cannot read " + jar + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return "local[" + cores + "], heap " + heap + ", one JVM per job";
    }

    @Override
    public String prepare(JobSpec spec) {
        String id = spec.action().name().toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return workDir.toAbsolutePath().resolve(id + ".json").toString();
    }

    @Override
    public JobOutcome run(JobSpec spec, String handle, Duration timeout) throws InterruptedException {
        Path result = Paths.get(handle);
        Path out = sibling(result, ".out");
        Path err = sibling(result, ".log");
        List<String> cmd = command(spec, result);
        Instant started = clock.instant();
        String missing = missingConnector(spec.table());
        if (missing != null) {
            return new JobOutcome(JobState.FAILED, started, clock.instant(), null, missing);
        }
        Process process;
        try {
            Files.createDirectories(workDir);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            // credentials through the environment, as the agent got them: never on the command line
            pb.environment().putAll(storage.env());
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            process = pb.start();
        } catch (IOException e) {
            return new JobOutcome(JobState.FAILED, started, clock.instant(), null,
                    "cannot start the local Spark process: " + e.getMessage());
        }
        JobProgress.current().submitted("local Spark process " + process.pid() + " (log " + err + ")", null);
        JobProgress.current().state("RUNNING");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                return JobOutcome.timedOut("the job", timeout, " and was stopped; its log: " + err, started, clock.instant(),
                        read(result));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            awaitKilled(process);
            throw e;
        }
        int exit = process.exitValue();
        return JobOutcome.judged("the local Spark job", exit == 0 ? JobState.SUCCEEDED : JobState.FAILED, started, clock.instant(),
                read(result), "the local Spark job (process " + process.pid() + ") " + ProcessExit.describe(exit)
                        + (read(result) == null ? " without writing a result" : ""), result.toString(), "; its log: " + err);
    }

    /**
     * Waits (briefly) for a killed job process to be gone, so that whoever asks next how it ended ({@link #poll}) reads the
     * result file as the process left it, not a process still dying.
     */
    private static void awaitKilled(Process process) {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public JobOutcome resume(String handle, Duration timeout) throws InterruptedException {
        Path result = Paths.get(handle);
        Path err = sibling(result, ".log");
        ProcessHandle running = process(handle);
        if (running != null) {
            try {
                running.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                running.destroy();
                return JobOutcome.timedOut("the job", timeout, " after the agent resumed following it and was stopped; its log: "
                        + err, null, clock.instant(), read(result));
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit never completes exceptionally for a process handle; fall through to the result file
            } catch (InterruptedException e) {
                running.destroyForcibly();
                throw e;
            }
        }
        return ended(handle, running != null);
    }

    @Override
    public java.util.Optional<JobOutcome> poll(String handle) {
        return process(handle) != null ? java.util.Optional.empty() : java.util.Optional.of(ended(handle, false));
    }

    /** The child JVM whose command line names {@code handle} (its result file), or null when none runs. */
    private static ProcessHandle process(String handle) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(cl -> cl.contains(handle)).orElse(false))
                .findFirst().orElse(null);
    }

    /** The outcome of the job that ran under {@code handle}, from the result file it left. */
    private JobOutcome ended(String handle, boolean followed) {
        Path result = Paths.get(handle);
        Path err = sibling(result, ".log");
        Instant resumed = clock.instant();
        String json = read(result);
        ResultDocument doc = ResultDocument.parse(json).orElse(null);
        Instant started = doc == null ? null : instant(doc.startedAt());
        Instant ended = doc == null ? null : instant(doc.endedAt());
        // the exit code of a process this one did not start is unknown: the result document decides
        return JobOutcome.fromResultAlone("the local Spark job's process " + (followed ? "ended" : "is gone"), started,
                ended != null ? ended : resumed, json, result.toString(), "; its log: " + err);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Path sibling(Path result, String suffix) {
        String name = result.getFileName().toString();
        return result.resolveSibling(name.endsWith(".json") ? name.substring(0, name.length() - 5) + suffix : name + suffix);
    }

    List<String> command(JobSpec spec, Path result) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx" + heap);
        cmd.addAll(jvmOptions);
        cmd.add("-Dspark.master=local[" + cores + "]");
        cmd.add("-Dspark.ui.enabled=false");
        cmd.add("-Dspark.driver.host=127.0.0.1");
        cmd.add("-Dspark.driver.bindAddress=127.0.0.1");
        cmd.addAll(storage.systemPropertiesFor(spec.table()));
        cmd.add("-cp");
        cmd.add(jobsJar + File.pathSeparator + sparkRuntime + File.separator + "*");
        cmd.add("io.deltaagent.jobs.MaintenanceJob");
        cmd.addAll(spec.jobArguments());
        cmd.add("--result");
        cmd.add(result.toString());
        return cmd;
    }

    /**
     * Why the local Spark runtime cannot open {@code table}, or null when it can: the spark-jobs build bundles hadoop-aws
     * for S3, not the GCS connector or hadoop-azure, and a job would only fail on "No FileSystem for scheme".
     */
    String missingConnector(String table) {
        String scheme;
        try {
            scheme = java.net.URI.create(table).getScheme();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (scheme == null) {
            return null;
        }
        String[] connector = switch (StorageSchemes.store(scheme)) {
            case GCS -> new String[] {"gcs-connector", "the GCS connector (com.google.cloud.bigdataoss:gcs-connector, shaded)"};
            case AZURE -> new String[] {"hadoop-azure", "hadoop-azure"};
            default -> null;
        };
        if (connector == null) {
            return null;
        }
        try (Stream<Path> jars = Files.list(sparkRuntime)) {
            if (jars.anyMatch(j -> j.getFileName().toString().startsWith(connector[0]))) {
                return null;
            }
        } catch (IOException e) {
            return null; // the job will say what is wrong
        }
        return "the local backend cannot maintain " + scheme + ":// tables: " + sparkRuntime + " has no " + connector[1]
                + "; add its jar (for Spark's Hadoop 3.3) there, or maintain the table with a backend whose cluster reads " + scheme
                + ":// (databricks, spark-submit with the connector in backends.spark-submit.jars)";
    }

    private static String read(Path result) {
        try {
            return Files.exists(result) ? Files.readString(result).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
