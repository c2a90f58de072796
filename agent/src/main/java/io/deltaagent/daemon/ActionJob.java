package io.deltaagent.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz job of one admitted table+action. Its key names the pair, so at most one exists at a time in the
 * shared job store; it requests recovery, so when its daemon dies mid-job Quartz fires it again (on restart,
 * or on another daemon of the cluster), and {@link ActionRun} then follows the recorded run instead of
 * starting a new one.
 */
@DisallowConcurrentExecution
public final class ActionJob implements Job {

    static final String TABLE = "table";
    static final String ACTION = "action";
    private static final Logger LOG = LoggerFactory.getLogger(ActionJob.class);

    private final ActionRun run;

    ActionJob(ActionRun run) {
        this.run = run;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String table = context.getMergedJobDataMap().getString(TABLE);
        String action = context.getMergedJobDataMap().getString(ACTION);
        try {
            run.execute(table, action, context.isRecovering());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the claim is released (ActionRun's finally); the table's next cycle decides again
            LOG.error("{}: {} job failed: {}", table, action, e.getMessage(), e);
        }
    }
}
