package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.RemoveFile;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableEntry;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run cancelled after its job committed is recorded CANCELLED with what its commit did, and {@code report} counts
 * that: on a real Spark-written table and a real H2 history. The job is a hand-written stand-in that makes a real Delta
 * commit (Delta Standalone: {@value #REWRITTEN} files rewritten into one, tagged with the run's commit tag, as the Spark
 * job tags its commits) and then waits until the agent's stop request cancels it; the Spark-backed signals are
 * InterruptedRunTest's.
 */
class CancelledRunTest {

    private static final int REWRITTEN = 10;
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @TempDir
    Path tmp;

    /** Commits a rewrite of {@value #REWRITTEN} files into one with the run's tag, then runs until it is interrupted. */
    private static final class CommitsThenRuns implements JobSubmitter {
        final CountDownLatch committed = new CountDownLatch(1);
        long removedBytes;

        @Override
        public String backend() {
            return "commits-then-runs";
        }

        @Override
        public String clusterSpec(JobSpec spec) {
            return "none";
        }

        @Override
        public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
            DeltaLog log = DeltaLog.forTable(new Configuration(), spec.table());
            List<AddFile> files = log.update().getAllFiles().subList(0, REWRITTEN);
            OptimisticTransaction txn = log.startTransaction();
            List<Action> actions = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (AddFile f : files) {
                actions.add(new RemoveFile(f.getPath(), Optional.of(now), false, false, f.getPartitionValues(),
                        Optional.of(f.getSize()), null));
                removedBytes += f.getSize();
            }
            actions.add(new AddFile("compacted-" + now + ".parquet", files.get(0).getPartitionValues(), removedBytes, now, false,
                    null, null));
            txn.commit(actions, new Operation(Operation.Name.MANUAL_UPDATE, Map.of(), Map.of(
                    "numRemovedFiles", String.valueOf(REWRITTEN), "numRemovedBytes", String.valueOf(removedBytes),
                    "numAddedFiles", "1", "numAddedBytes", String.valueOf(removedBytes)), Optional.of(spec.commitTag())),
                    "delta-agent-tests");
            committed.countDown();
            Thread.sleep(Duration.ofMinutes(5).toMillis()); // the job runs on until the agent's stop cancels it
            throw new AssertionError("the stop request never cancelled the job");
        }
    }

    @Test
    void aRunCancelledAfterItCommittedIsRecordedWithWhatItCommittedAndReportCountsIt() throws Exception {
        Path table = Fixtures.copy("spark_partitioned_checkpoints", tmp).toRealPath();
        long versionBefore = DeltaFiles.version(table);
        String db = "jdbc:h2:file:" + tmp.resolve("history");
        CommitsThenRuns job = new CommitsThenRuns();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<StopRequest> stop = new AtomicReference<>();
        try (HistoryStore store = HistoryStore.open(db, "sa", "")) {
            Thread worker = new Thread(() -> {
                try {
                    maintain(table, job, store, stop.get());
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            stop.set(new StopRequest(worker));
            worker.start();
            assertThat(job.committed.await(2, TimeUnit.MINUTES)).as("the job committed").isTrue();
            stop.get().request("SIGTERM");
            worker.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(worker.isAlive()).isFalse();

            Maintainer.Interrupted interrupted = catchThrowableOfType(() -> {
                throw thrown.get();
            }, Maintainer.Interrupted.class);
            MaintenanceResult result = interrupted.result();
            assertThat(result.status()).isEqualTo(MaintenanceResult.Status.FAILED);
            ActionResult action = result.actions().get(0);
            assertThat(action.outcome().state()).isEqualTo(JobState.CANCELLED);
            assertThat(action.outcome().message()).contains("the backend cancelled it")
                    .contains("it had committed version " + (versionBefore + 1) + " before it stopped");
            assertThat(action.check()).as("what its commit did, read back from the log").isNotNull()
                    .extracting(PlanCheck::filesRewritten).isEqualTo((long) REWRITTEN);
            assertThat(action.check().bytesRewritten()).isEqualTo(job.removedBytes);
            assertThat(action.check().deviation()).as("part of the work is not judged against the whole").isNull();
            assertThat(result.after().identity().version()).as("re-measured after the cancel").isEqualTo(versionBefore + 1);
            assertThat(result.remaining()).as("still due: it did part of the work (the partitions hold 40-50 small files)")
                    .extracting(io.deltaagent.policy.Breach::threshold).contains("min-small-files");

            RunRecord run = store.runs().history(table.toString(), 10).get(0);
            assertThat(run.state()).isEqualTo(RunState.CANCELLED);
            assertThat(run.commitVersion()).isEqualTo(versionBefore + 1);
            assertThat(run.stoppedBy()).isEqualTo("SIGTERM");
            assertThat(run.check()).isNotNull().extracting(io.deltaagent.store.RunCheck::filesRewritten).isEqualTo((long) REWRITTEN);
        }

        JsonNode report = CliRun.of("report", "--history-db", db, "--format", "json").json().get("report");
        assertThat(report.get("failed").asInt()).as("a cancelled run is not a success").isEqualTo(1);
        assertThat(report.get("succeeded").asInt()).isZero();
        assertThat(report.get("filesRewritten").asLong()).as("but what it committed counts").isEqualTo(REWRITTEN);
        assertThat(report.get("bytesRewritten").asLong()).isEqualTo(job.removedBytes);
    }

    private static void maintain(Path table, JobSubmitter job, HistoryStore store, StopRequest stop) throws Exception {
        TableSettings settings = new ConfigLoader().parse("t.yaml",
                "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n  min-small-files: 20\n").defaultSettings();
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(new TableEntry(table.toString(), settings));
        new Maintainer(reader, new BreachDetector(), new Planner(), name -> job, store, JSON, Clock.systemUTC(),
                Duration.ofMinutes(5), false, stop).maintain(audit, settings);
    }
}
