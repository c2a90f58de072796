package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableEntry;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.testing.Fixtures;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cooldown and the no-progress guard, on a real table, a real audit and a real H2 history. The backend is a
 * hand-written fake standing for a job that succeeds and changes nothing (the local backend's real runs are
 * MaintainCliTest's).
 */
class RunGuardTest {

    @TempDir
    Path tmp;

    /** Succeeds without touching the table; remembers what it was asked. */
    private static final class NoOpSubmitter implements JobSubmitter {
        final List<JobSpec> runs = new ArrayList<>();

        @Override
        public String backend() {
            return "noop";
        }

        @Override
        public String clusterSpec(JobSpec spec) {
            return "none";
        }

        @Override
        public JobOutcome run(JobSpec spec, Duration timeout) {
            runs.add(spec);
            return new JobOutcome(JobState.SUCCEEDED, Instant.now(), Instant.now(), "{\"status\":\"SUCCEEDED\"}", null);
        }
    }

    private MaintenanceResult maintain(Path table, String cooldown, NoOpSubmitter submitter, HistoryStore store) throws Exception {
        TableSettings settings = new ConfigLoader().parse("t.yaml",
                "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n  cooldown: " + cooldown + "\n").defaultSettings();
        Configuration conf = new Configuration();
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC());
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(new TableEntry(table.toString(), settings));
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return new Maintainer(reader, new BreachDetector(), new Planner(), backend -> submitter, store, json, Clock.systemUTC(),
                Duration.ofMinutes(5)).maintain(audit, settings);
    }

    @Test
    void anActionThatChangedNothingIsNotRepeatedUntilTheTableChangesNorWithinTheCooldown() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp);
        try (HistoryStore store = HistoryStore.open("jdbc:h2:file:" + tmp.resolve("history"), "sa", "")) {
            noOpIsNotRepeated(table, store);
        }
    }

    private void noOpIsNotRepeated(Path table, HistoryStore store) throws Exception {
        NoOpSubmitter submitter = new NoOpSubmitter();

        MaintenanceResult first = maintain(table, "0s", submitter, store);
        assertThat(submitter.runs).hasSize(1);
        assertThat(first.status()).as("the job changed nothing").isEqualTo(MaintenanceResult.Status.MAINTENANCE_DUE);

        MaintenanceResult second = maintain(table, "0s", submitter, store);
        assertThat(submitter.runs).as("no second run of a no-op").hasSize(1);
        assertThat(second.plan().notes()).anySatisfy(n -> assertThat(n)
                .contains("OPTIMIZE skipped: run 1 changed nothing measurable and the table has not changed since (version 24)"));

        MaintenanceResult third = maintain(table, "1h", submitter, store);
        assertThat(submitter.runs).hasSize(1);
        assertThat(third.plan().notes()).anySatisfy(n -> assertThat(n).contains("within the cooldown of 1h"));
        assertThat(store.runs().history(table.toString(), 10)).hasSize(1);
    }
}
