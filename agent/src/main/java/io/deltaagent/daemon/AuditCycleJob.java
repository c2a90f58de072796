package io.deltaagent.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one audit schedule. Not concurrent with itself: a slow cycle delays the next instead of
 * overlapping it, and in a cluster each firing runs on one daemon only. A failed cycle (the database away,
 * say) is logged and the next firing tries again.
 */
@DisallowConcurrentExecution
public final class AuditCycleJob implements Job {

    static final String SCHEDULE = "schedule";
    private static final Logger LOG = LoggerFactory.getLogger(AuditCycleJob.class);

    /** Runs one cycle of a schedule ({@link Daemon#runCycle}: the audit cycle, then the retirement of tables gone). */
    interface Cycle {
        void run(String schedule) throws InterruptedException;
    }

    private final Cycle cycle;
    private final CycleTracker tracker;

    AuditCycleJob(Cycle cycle, CycleTracker tracker) {
        this.cycle = cycle;
        this.tracker = tracker;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String schedule = context.getMergedJobDataMap().getString(SCHEDULE);
        if (!tracker.enter()) {
            return;
        }
        try {
            cycle.run(schedule);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("audit cycle '{}' failed: {}; the next firing tries again", schedule, e.getMessage(), e);
        } finally {
            tracker.exit();
        }
    }
}
