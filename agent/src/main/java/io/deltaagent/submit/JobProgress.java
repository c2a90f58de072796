package io.deltaagent.submit;

/**
 * What a backend tells while a job runs: the id the backend gave it (with the page that shows it, where there is one)
 * and each change of its state in the backend's own words. Backends report to {@link #current()}, the listener the
 * calling thread installed with {@link #install} around {@link JobSubmitter#run}; without one, reports go nowhere. A
 * listener is never told a credential: ids, states and page URLs only.
 */
public interface JobProgress {

    /** Reports nowhere. */
    JobProgress NONE = new JobProgress() {
        @Override
        public void submitted(String jobId, String runUrl) {
        }

        @Override
        public void state(String state) {
        }
    };

    /** The backend accepted the job as {@code jobId} (e.g. "databricks run 42"); {@code runUrl} may be null. */
    void submitted(String jobId, String runUrl);

    /** The job's state changed to {@code state} (e.g. PENDING, RUNNING); repeats of one state may be reported. */
    void state(String state);

    /** The listener of the calling thread, or {@link #NONE}. */
    static JobProgress current() {
        JobProgress p = Installed.CURRENT.get();
        return p == null ? NONE : p;
    }

    /** Makes {@code progress} the calling thread's listener until the returned scope closes. */
    static Scope install(JobProgress progress) {
        JobProgress previous = Installed.CURRENT.get();
        Installed.CURRENT.set(progress);
        return () -> {
            if (previous == null) {
                Installed.CURRENT.remove();
            } else {
                Installed.CURRENT.set(previous);
            }
        };
    }

    /** Ends an {@link #install}. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The per-thread slot behind {@link #current()}. */
    final class Installed {
        private static final ThreadLocal<JobProgress> CURRENT = new ThreadLocal<>();

        private Installed() {
        }
    }
}
