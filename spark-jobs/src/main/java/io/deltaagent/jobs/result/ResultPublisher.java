package io.deltaagent.jobs.result;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the result: first to {@code --result} (when given), then as the last line of stdout. This is the
 * only place the job writes to stdout.
 */
public final class ResultPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(ResultPublisher.class);

    private final PrintStream stdout;
    private final Supplier<Configuration> hadoopConf;

    public ResultPublisher(PrintStream stdout, Supplier<Configuration> hadoopConf) {
        this.stdout = requireNonNull(stdout, "stdout");
        this.hadoopConf = requireNonNull(hadoopConf, "hadoopConf");
    }

    /** @return false when the result file could not be written (stdout still gets the result) */
    public boolean publish(JobResult result, String resultUri) {
        String json = ResultJson.toLine(result);
        boolean written = true;
        if (resultUri != null) {
            try {
                new ResultFileWriter(hadoopConf.get()).write(resultUri, json);
            } catch (Exception e) {
                written = false;
                LOG.error("{}: cannot write the result to {}: {}", result.table(), resultUri, e.getMessage(), e);
            }
        }
        stdout.println(json);
        stdout.flush();
        return written;
    }
}
