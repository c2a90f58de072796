package io.deltaagent.testing;

import io.delta.standalone.CommitResult;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * An in-memory job backend for the lifecycle tests, no Spark: it keeps the {@link ResumableJobSubmitter} contract (a
 * handle before the job starts; a job past its timeout is cancelled and ends TIMED_OUT; an interrupt cancels the job
 * before {@link InterruptedException} is thrown; {@code resume} never starts a job; {@code poll} never waits), and does
 * a job's work on the real table with Delta Standalone: an OPTIMIZE removes the files below the job's min-file-size in
 * the partitions its WHERE names and adds one file per partition, in one commit tagged with the run's commit tag and
 * carrying Delta's OPTIMIZE operation metrics, and the job's result document names that commit, as the Spark job's does.
 * What each job does is scripted, one {@link Script} per job in submission order ({@link Script#COMPACT} when none is left).
 */
public final class FakeJobSubmitter implements ResumableJobSubmitter {

    /** What one job does. */
    public enum Script {
        /** Compacts as planned and succeeds. */
        COMPACT,
        /** Compacts, but writes four files per partition where one was planned: a run that deviates from its plan. */
        COMPACT_INTO_FOUR,
        /** Succeeds without committing anything. */
        NO_CHANGE,
        /** Commits nothing and fails, with a result document that says why. */
        FAIL,
        /** Runs until it is cancelled, times out, or the test {@link #complete completes} it. */
        HANG,
        /** Compacts (a tagged commit), then runs on until it is cancelled, times out, or is completed. */
        COMMIT_THEN_HANG,
        /**
         * Compacts and ends well, but the backend's wait goes on until it is interrupted or times out (a backend that had
         * not yet seen the end when the agent was stopped); {@link #poll} tells the end.
         */
        COMPACT_UNSEEN,
        /** The backend cannot start the job: {@link BackendException}. */
        BACKEND_DOWN
    }

    /** Started jobs by handle. */
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final List<JobSpec> submitted = new CopyOnWriteArrayList<>();
    private final Semaphore running = new Semaphore(0);
    private volatile Runnable duringJob = () -> { };

    private static final class Job {
        final JobSpec spec;
        final Instant startedAt = Instant.now();
        final CompletableFuture<JobOutcome> end = new CompletableFuture<>();
        final List<Long> commits = new CopyOnWriteArrayList<>();

        Job(JobSpec spec) {
            this.spec = spec;
        }
    }

    /** Scripts the next jobs, in submission order. */
    public synchronized FakeJobSubmitter then(Script... next) {
        scripts.addAll(List.of(next));
        return this;
    }

    /** Runs {@code hook} in every job after its work and before it reports its end (the database goes away mid-run). */
    public FakeJobSubmitter duringJob(Runnable hook) {
        this.duringJob = hook;
        return this;
    }

    /** The jobs started, in order. */
    public List<JobSpec> submitted() {
        return List.copyOf(submitted);
    }

    /** Waits until a job is running (a HANG job waits for its end); false when none started within {@code wait}. */
    public boolean awaitRunning(Duration wait) throws InterruptedException {
        return running.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the running job under {@code handle} as it would end by itself: compacting first unless it committed. */
    public void complete(String handle) {
        Job job = jobs.get(handle);
        if (job == null) {
            throw new IllegalArgumentException("no job " + handle);
        }
        if (job.commits.isEmpty()) {
            compact(job, 1);
        }
        job.end.complete(succeeded(job));
    }

    @Override
    public String backend() {
        return "fake";
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return "in-memory fake";
    }

    @Override
    public String prepare(JobSpec spec) {
        return "fake-" + spec.idempotencyToken();
    }

    @Override
    public JobOutcome run(JobSpec spec, String handle, Duration timeout) throws InterruptedException {
        Script script;
        synchronized (this) {
            script = scripts.isEmpty() ? Script.COMPACT : scripts.poll();
        }
        if (script == Script.BACKEND_DOWN) {
            throw new BackendException("fake backend: cannot start job " + handle + ": the service is down", false);
        }
        Job job = new Job(spec);
        if (jobs.putIfAbsent(handle, job) != null) {
            throw new IllegalStateException("job " + handle + " started twice"); // what the contract forbids
        }
        submitted.add(spec);
        io.deltaagent.submit.JobProgress.current().submitted("fake job " + handle, null); // as every backend reports its job
        switch (script) {
            case COMPACT -> {
                compact(job, 1);
                job.end.complete(succeeded(job));
            }
            case COMPACT_INTO_FOUR -> {
                compact(job, 4);
                job.end.complete(succeeded(job));
            }
            case NO_CHANGE -> job.end.complete(succeeded(job));
            case FAIL -> job.end.complete(JobOutcome.judged("fake job " + handle, JobState.FAILED, job.startedAt, Instant.now(),
                    "{\"status\":\"FAILED\",\"error\":{\"message\":\"executor lost\"}}", null, "memory", ""));
            case COMMIT_THEN_HANG -> compact(job, 1);
            case COMPACT_UNSEEN -> {
                compact(job, 1);
                job.end.complete(succeeded(job));
                duringJob.run();
                running.release();
                Thread.sleep(timeout.toMillis()); // an interrupt ends the wait; the job has ended all the same
                return job.end.join();
            }
            default -> {
            }
        }
        duringJob.run();
        return await(handle, job, timeout);
    }

    @Override
    public JobOutcome resume(String handle, Duration timeout) throws InterruptedException {
        Job job = jobs.get(handle);
        if (job == null) {
            return new JobOutcome(JobState.FAILED, null, Instant.now(), null, "fake job " + handle + " never started");
        }
        return await(handle, job, timeout);
    }

    @Override
    public Optional<JobOutcome> poll(String handle) {
        Job job = jobs.get(handle);
        if (job == null) {
            return Optional.of(new JobOutcome(JobState.FAILED, null, Instant.now(), null, "fake job " + handle + " never started"));
        }
        return Optional.ofNullable(job.end.getNow(null));
    }

    private JobOutcome await(String handle, Job job, Duration timeout) throws InterruptedException {
        if (!job.end.isDone()) {
            running.release();
        }
        try {
            return job.end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            job.end.complete(ended(job, JobState.TIMED_OUT, "fake job " + handle + " timed out after " + timeout + "; cancelled"));
            return job.end.join();
        } catch (InterruptedException e) {
            job.end.complete(ended(job, JobState.CANCELLED, "fake job " + handle + " cancelled"));
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JobOutcome ended(Job job, JobState state, String message) {
        return new JobOutcome(state, job.startedAt, Instant.now(), job.commits.isEmpty() ? null : result(job), message);
    }

    private static JobOutcome succeeded(Job job) {
        return new JobOutcome(JobState.SUCCEEDED, job.startedAt, Instant.now(), result(job), null);
    }

    private static String result(Job job) {
        return job.commits.isEmpty() ? "{\"status\":\"SUCCEEDED\"}"
                : "{\"status\":\"SUCCEEDED\",\"commitVersion\":" + job.commits.get(job.commits.size() - 1)
                + ",\"commitVersions\":" + job.commits + "}";
    }

    private static final Pattern LITERAL = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");

    /** The OPTIMIZE: the small files of the selected partitions, rewritten as {@code perPartition} files each. */
    private static void compact(Job job, int perPartition) {
        JobSpec spec = job.spec;
        DeltaLog log = DeltaLog.forTable(new Configuration(), spec.table());
        Set<String> selected = null;
        if (spec.where() != null) {
            Matcher m = LITERAL.matcher(spec.where());
            selected = new java.util.HashSet<>();
            while (m.find()) {
                selected.add(m.group(1));
            }
        }
        long below = spec.sizes() == null ? Long.MAX_VALUE : spec.sizes().minFileSize();
        Set<String> partitions = selected;
        Map<Map<String, String>, List<AddFile>> bins = log.update().getAllFiles().stream()
                .filter(f -> f.getSize() < below)
                .filter(f -> partitions == null || f.getPartitionValues().values().stream().anyMatch(partitions::contains))
                .collect(Collectors.groupingBy(AddFile::getPartitionValues, LinkedHashMap::new, Collectors.toList()));
        long now = System.currentTimeMillis();
        List<Action> actions = new ArrayList<>();
        long removed = 0;
        long removedBytes = 0;
        long added = 0;
        for (var bin : bins.entrySet()) {
            if (bin.getValue().size() < 2) {
                continue; // Delta drops bins of one file
            }
            long bytes = 0;
            for (AddFile f : bin.getValue()) {
                actions.add(f.remove(now, false));
                bytes += f.getSize();
            }
            removed += bin.getValue().size();
            removedBytes += bytes;
            String prefix = bin.getKey().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "/")
                    .collect(Collectors.joining());
            for (int i = 0; i < perPartition; i++) {
                long size = bytes / perPartition + (i == 0 ? bytes % perPartition : 0);
                actions.add(new AddFile(prefix + "part-compacted-" + spec.idempotencyToken() + "-" + i + ".parquet", bin.getKey(),
                        size, now, false, null, null));
                added++;
            }
        }
        OptimisticTransaction txn = log.startTransaction();
        Map<String, String> metrics = Map.of("numRemovedFiles", String.valueOf(removed), "numRemovedBytes",
                String.valueOf(removedBytes), "numAddedFiles", String.valueOf(added), "numAddedBytes", String.valueOf(removedBytes));
        CommitResult commit = txn.commit(actions, new Operation(Operation.Name.MANUAL_UPDATE, Map.of(), metrics,
                Optional.of(spec.commitTag())), "delta-agent-tests FakeJobSubmitter");
        job.commits.add(commit.getVersion());
    }
}
