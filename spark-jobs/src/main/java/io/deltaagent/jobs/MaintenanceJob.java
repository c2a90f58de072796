package io.deltaagent.jobs;

import io.deltaagent.jobs.cli.CliParser;
import io.deltaagent.jobs.error.InvalidInputException;
import io.deltaagent.jobs.result.ExitCode;
import io.deltaagent.jobs.result.JobResult;
import io.deltaagent.jobs.result.ResultPublisher;
import io.deltaagent.jobs.result.Status;
import io.deltaagent.jobs.retry.Sleeper;
import io.deltaagent.jobs.run.ActionFactory;
import io.deltaagent.jobs.run.Failures;
import io.deltaagent.jobs.run.JobRunner;
import io.deltaagent.jobs.run.RunOutcome;
import io.deltaagent.jobs.spark.SparkSessions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The maintenance job's entry point: one action per run, one JSON result as the last line of stdout (and in
 * {@code --result}), logs on stderr, and an exit code (0 success, 1 failed, 2 bad usage or input, 75 conflicts
 * persisted). The contract is documented in docs/JOB-RESULT.md.
 *
 * <p>Usage: {@code MaintenanceJob optimize|checkpoint|vacuum --table URI [options]}; {@code --help} lists options.
 */
public final class MaintenanceJob {
    private MaintenanceJob() {
    }

    public static void main(String[] args) {
        // Everything that is not the result goes to stderr, including libraries that print to System.out.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        int code = run(args, stdout, System.err);
        stdout.flush();
        if (System.getenv("DATABRICKS_RUNTIME_VERSION") != null) {
            // A Databricks jar task must not call System.exit; it fails the task when main throws.
            if (code != 0) {
                throw new IllegalStateException("maintenance job failed with exit code " + code
                        + "; the result JSON is the last line of stdout");
            }
            return;
        }
        System.exit(code);
    }

    /**
     * Runs the command line in this JVM and returns the exit code instead of exiting.
     *
     * @param out receives help output and, last, the result line
     * @param err receives usage messages
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ResultPublisher publisher = new ResultPublisher(out, MaintenanceJob::hadoopConf);
        CliParser.Parsed parsed = CliParser.parse(args, out, err);
        if (parsed instanceof CliParser.HelpShown) {
            return ExitCode.SUCCESS.code();
        }
        if (parsed instanceof CliParser.UsageError usage) {
            String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            InvalidInputException error = new InvalidInputException(
                    (usage.table() == null ? "" : usage.table() + ": ") + "bad usage: " + usage.message());
            JobResult result = JobResult.builder().action(usage.action()).table(usage.table())
                    .status(Status.FAILED).error(Failures.describe(usage.table(), usage.action(), error))
                    .timing(now, now, 0).build();
            publisher.publish(result, usage.resultUri());
            return ExitCode.BAD_INPUT.code();
        }
        CliParser.Run run = (CliParser.Run) parsed;
        JobRunner runner = new JobRunner(SparkSessions::getOrCreate, Clock.systemUTC(), Sleeper.SYSTEM,
                () -> ThreadLocalRandom.current().nextDouble(), ActionFactory.DEFAULT);
        RunOutcome outcome = runner.run(run.request(), run.options());
        boolean written = publisher.publish(outcome.result(), run.options().resultUri());
        if (!written && outcome.exitCode() == ExitCode.SUCCESS) {
            return ExitCode.FAILED.code();
        }
        return outcome.exitCode().code();
    }

    /** The session's Hadoop configuration, or one made from {@code spark.hadoop.*} settings when there is none. */
    static Configuration hadoopConf() {
        return SparkSessions.existing().map(spark -> spark.sessionState().newHadoopConf()).orElseGet(() -> {
            Configuration conf = new Configuration();
            for (Tuple2<String, String> entry : new SparkConf().getAll()) {
                if (entry._1().startsWith("spark.hadoop.")) {
                    conf.set(entry._1().substring("spark.hadoop.".length()), entry._2());
                }
            }
            return conf;
        });
    }
}
