package io.deltaagent.submit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A backend with the Spark runtime it was configured for: it reports the runtime ({@link #sparkRuntime()}) and names it
 * in its cluster spec, so plans, run results and history say which jobs jar ran. Resumable when the backend is.
 */
class RuntimeTagged implements JobSubmitter {

    private final JobSubmitter backend;
    private final SparkRuntime runtime;

    static JobSubmitter of(JobSubmitter backend, SparkRuntime runtime) {
        return backend instanceof ResumableJobSubmitter resumable ? new Resumable(resumable, runtime) : new RuntimeTagged(backend, runtime);
    }

    RuntimeTagged(JobSubmitter backend, SparkRuntime runtime) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    @Override
    public String backend() {
        return backend.backend();
    }

    @Override
    public SparkRuntime sparkRuntime() {
        return runtime;
    }

    @Override
    public String clusterSpec(JobSpec spec) {
        return backend.clusterSpec(spec) + ", " + runtime.label();
    }

    @Override
    public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        return backend.run(spec, timeout);
    }

    static final class Resumable extends RuntimeTagged implements ResumableJobSubmitter {

        private final ResumableJobSubmitter backend;

        Resumable(ResumableJobSubmitter backend, SparkRuntime runtime) {
            super(backend, runtime);
            this.backend = backend;
        }

        @Override
        public String prepare(JobSpec spec) {
            return backend.prepare(spec);
        }

        @Override
        public JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
            return backend.run(spec, timeout);
        }

        @Override
        public JobOutcome run(JobSpec spec, String handle, Duration timeout) throws InterruptedException {
            return backend.run(spec, handle, timeout);
        }

        @Override
        public JobOutcome resume(String handle, Duration timeout) throws InterruptedException {
            return backend.resume(handle, timeout);
        }

        @Override
        public Optional<JobOutcome> poll(String handle) {
            return backend.poll(handle);
        }
    }
}
