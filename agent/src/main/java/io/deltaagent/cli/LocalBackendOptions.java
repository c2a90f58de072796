package io.deltaagent.cli;

import io.deltaagent.config.BackendsConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.Option;

/** The local backend's command-line settings, shared by the commands that run jobs (maintain, daemon). */
final class LocalBackendOptions {

    @Option(names = "--local-cores", paramLabel = "N", converter = Positive.Cores.class,
            description = "Cores of the local backend's Spark process: local[N] (default: backends.local.cores, 2).")
    Integer cores;

    @Option(names = "--local-heap", paramLabel = "SIZE", converter = Positive.Heap.class,
            description = "Heap of the local backend's Spark process (default: backends.local.heap, 2g).")
    String heap;

    @Option(names = "--spark-jobs-dir", paramLabel = "DIR",
            description = "The spark-jobs build output (its jar and spark-runtime/); default: the one beside this agent.")
    Path sparkJobsDir;

    /** The config's backends with these settings winning over backends.local. */
    BackendsConfig applyTo(BackendsConfig backends) {
        return backends.withLocal(cores, heap);
    }

    /**
     * The spark-jobs build: --spark-jobs-dir, else the one scripts/delta-agent names; null when unknown (only the
     * backends that run that build from here need it, and they say so).
     */
    Path sparkJobsDir() {
        if (sparkJobsDir != null) {
            return sparkJobsDir;
        }
        String prop = System.getProperty("deltaagent.sparkJobs.dir");
        return prop == null ? null : Paths.get(prop);
    }
}
