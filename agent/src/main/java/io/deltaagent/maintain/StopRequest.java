package io.deltaagent.maintain;

import java.util.concurrent.TimeUnit;

/**
 * A request to stop maintenance (SIGTERM, SIGINT), shared between the signal handler and the thread that maintains.
 * The thread is interrupted only while it waits for a job, so the backend cancels the job; anywhere else (reading the
 * log, writing history) it is not interrupted and checks {@link #requested} before it starts the next job.
 *
 * <p>While the worker stays in the job after a request, it is interrupted again every {@link #REPEAT_MILLIS}: library
 * code on its way into the wait (H2 recording the job as running, a backend's HTTP client) may swallow one interrupt,
 * and the job would then run to its end although the agent was asked to stop.
 */
public final class StopRequest {

    static final long REPEAT_MILLIS = 200;

    private final Thread worker;
    private boolean inJob;
    private volatile String reason;
    private Thread repeater;

    /** @param worker the thread that maintains */
    public StopRequest(Thread worker) {
        this.worker = worker;
    }

    /** A request that is never made (tests, callers without signals). */
    public static StopRequest never() {
        return new StopRequest(null);
    }

    /** Asks to stop, naming why ({@code SIGTERM}); interrupts the worker, again and again, while it waits for a job. */
    public synchronized void request(String why) {
        reason = why;
        if (worker == null) {
            return;
        }
        if (inJob) {
            worker.interrupt();
        }
        if (inJob && repeater == null) {
            repeater = new Thread(this::repeatWhileInJob, "delta-agent-stop");
            repeater.setDaemon(true);
            repeater.start();
        }
    }

    public boolean requested() {
        return reason != null;
    }

    /** What asked to stop, or null. */
    public String reason() {
        return reason;
    }

    /** Marks the worker as waiting for a job; a stop already requested is thrown at once. */
    synchronized void enterJob() throws InterruptedException {
        if (reason != null) {
            throw new InterruptedException("stop requested (" + reason + ")");
        }
        inJob = true;
    }

    /** The worker no longer waits for a job: an interrupt meant for the job is cleared (the request stays). */
    synchronized void leaveJob() {
        inJob = false;
        Thread.interrupted();
    }

    /** Interrupts the worker while it is in the job (it enters none after a request), until it has left it or ended. */
    private void repeatWhileInJob() {
        while (worker.isAlive()) {
            synchronized (this) {
                if (!inJob) {
                    return;
                }
                worker.interrupt();
            }
            try {
                TimeUnit.MILLISECONDS.sleep(REPEAT_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
