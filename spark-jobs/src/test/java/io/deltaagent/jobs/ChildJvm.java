package io.deltaagent.jobs;

import io.deltaagent.jobs.request.JobCommandLine;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Starts the job's real {@code main} in a child JVM, as the agent's local backend does: the module's classes,
 * picocli (shaded into the jar in a real deployment), and the Spark runtime the build copies to
 * {@code target/spark-runtime/}. The master comes from {@code -Dspark.master}.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static Process start(Class<?> mainClass, List<String> args, Path stdout, Path stderr) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        // the same --add-opens this test JVM got from surefire
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect")) {
                command.add(arg);
            }
        }
        command.add("-Dspark.master=local[2]");
        command.add("-Dspark.ui.enabled=false");
        command.add("-Dspark.driver.host=127.0.0.1");
        command.add("-Dspark.driver.bindAddress=127.0.0.1");
        command.add("-Dspark.databricks.delta.snapshotPartitions=2");
        command.add("-cp");
        command.add(String.join(File.pathSeparator, Path.of("target", "classes").toAbsolutePath().toString(),
                jarOf(CommandLine.class), jarOf(JobCommandLine.class), Path.of("target", "spark-runtime").toAbsolutePath() + File.separator + "*"));
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            return new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
