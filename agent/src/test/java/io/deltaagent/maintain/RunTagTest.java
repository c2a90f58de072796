package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableEntry;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.jobs.request.JobCommandLine;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.NewRun;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.ResumableJobSubmitter;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's commit tag is its own, and no job starts beside an earlier run's job that still runs, {@code --force} or not:
 * on a real table, a real audit and real H2 histories. The backend is a hand-written fake standing for jobs that fail
 * without touching the table (so neither the cooldown nor the no-progress guard holds a rerun back) and for a job that
 * still runs; the real processes and signals are InterruptedRunTest's.
 */
class RunTagTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path tmp;

    /** Fails every job it is given at once, remembering it; says a job still runs while {@link #running} is set. */
    private static final class FakeBackend implements ResumableJobSubmitter {
        final List<JobSpec> runs = new ArrayList<>();
        boolean running;

        @Override
        public String backend() {
            return "fake";
        }

        @Override
        public String clusterSpec(JobSpec spec) {
            return "none";
        }

        @Override
        public String prepare(JobSpec spec) {
            return "job-" + spec.idempotencyToken();
        }

        @Override
        public JobOutcome run(JobSpec spec, String handle, Duration timeout) {
            runs.add(spec);
            return new JobOutcome(JobState.FAILED, Instant.now(), Instant.now(), null, "the fake job fails");
        }

        @Override
        public JobOutcome resume(String handle, Duration timeout) {
            throw new UnsupportedOperationException("not followed in these tests");
        }

        @Override
        public Optional<JobOutcome> poll(String handle) {
            return running ? Optional.empty()
                    : Optional.of(new JobOutcome(JobState.FAILED, null, Instant.now(), null, "the fake job ended"));
        }
    }

    @Test
    void twoRunsOfOnePlanAndTwoAgentsWithHistoriesOfTheirOwnNeverShareACommitTag() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long version = DeltaFiles.version(table);
        FakeBackend backend = new FakeBackend();
        try (HistoryStore one = open("one"); HistoryStore other = open("other")) {
            maintain(table, backend, one, false);
            maintain(table, backend, one, false);
            maintain(table, backend, other, false);

            JobSpec first = backend.runs.get(0);
            assertThat(backend.runs).as("one plan, three runs").hasSize(3).allSatisfy(spec -> {
                assertThat(spec.tableVersion()).isEqualTo(version);
                assertThat(spec.action()).isEqualTo(first.action());
                assertThat(spec.where()).isEqualTo(first.where());
            });
            List<String> tags = backend.runs.stream().map(JobSpec::commitTag).toList();
            assertThat(tags).doesNotHaveDuplicates()
                    .allSatisfy(tag -> assertThat(tag).startsWith("delta-agent:da-optimize-v" + version + "-"));
            // recorded with the run before its job was submitted, and passed to the job, which writes it into its commits
            assertThat(one.runs().history(table.toString(), 10)).extracting(RunRecord::commitTag)
                    .containsExactlyInAnyOrder(tags.get(0), tags.get(1));
            assertThat(other.runs().history(table.toString(), 10)).extracting(RunRecord::commitTag).containsExactly(tags.get(2));
            assertThat(backend.runs.get(0).jobArguments())
                    .containsSequence("--run-tag", tags.get(0).substring(JobCommandLine.TAG_PREFIX.length()));
        }
    }

    @Test
    void noJobStartsBesideAnEarlierRunsJobThatStillRunsNotEvenWithForce() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long version = DeltaFiles.version(table);
        FakeBackend backend = new FakeBackend();
        try (HistoryStore store = open("history")) {
            // the run a maintain on another worker left open: its job is still running
            long open = store.runs().submitted(new NewRun(table.toString(), null, "OPTIMIZE", "{}", "fake", "none", version,
                    Instant.now().minus(Duration.ofHours(3)), "{}", "job-elsewhere", "cli:elsewhere:4711", false,
                    "delta-agent:da-optimize-elsewhere"));
            backend.running = true;

            MaintenanceResult refused = maintain(table, backend, store, true);

            assertThat(backend.runs).as("no second job beside the running one").isEmpty();
            assertThat(refused.status()).isEqualTo(MaintenanceResult.Status.MAINTENANCE_DUE);
            assertThat(refused.actions()).isEmpty();
            assertThat(refused.plan().notes()).singleElement().asString()
                    .startsWith("no job started: run " + open + " (OPTIMIZE, submitted at ")
                    .contains("by cli:elsewhere:4711) is still open and its job job-elsewhere still runs on backend fake")
                    .contains("not even with --force");
            assertThat(store.runs().history(table.toString(), 10)).singleElement()
                    .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUBMITTED));

            // once that job has ended, --force runs the plan (the open run is the next maintain's to settle)
            backend.running = false;
            MaintenanceResult forced = maintain(table, backend, store, true);
            assertThat(backend.runs).hasSize(1);
            assertThat(forced.actions()).hasSize(1);
            assertThat(store.runs().history(table.toString(), 10)).hasSize(2);
        }
    }

    private HistoryStore open(String name) {
        return HistoryStore.open("jdbc:h2:file:" + tmp.resolve(name), "sa", "");
    }

    private static MaintenanceResult maintain(Path table, FakeBackend backend, HistoryStore store, boolean force) throws Exception {
        TableSettings settings = new ConfigLoader().parse("t.yaml",
                "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n  cooldown: 0s\n").defaultSettings();
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(new TableEntry(table.toString(), settings));
        return new Maintainer(reader, new BreachDetector(), new Planner(), name -> backend, store, JSON, Clock.systemUTC(),
                Duration.ofMinutes(5), force, StopRequest.never()).maintain(audit, settings);
    }
}
