package io.deltaagent.maintain;

/**
 * A request to stop maintenance (SIGTERM, SIGINT), shared between the signal handler and the thread that maintains.
 * The thread is interrupted only while it waits for a job, so the backend cancels the job; anywhere else (reading the
 * log, writing history) it is not interrupted and checks {@link #requested} before it starts the next job.
 */
public final class StopRequest {

    private final Thread worker;
    private boolean inJob;
    private volatile String reason;

    /** @param worker the thread that maintains */
    public StopRequest(Thread worker) {
        this.worker = worker;
    }

    /** A request that is never made (tests, callers without signals). */
    public static StopRequest never() {
        return new StopRequest(null);
    }

    /** Asks to stop, naming why ({@code SIGTERM}); interrupts the worker if it is waiting for a job. */
    public synchronized void request(String why) {
        reason = why;
        if (inJob && worker != null) {
            worker.interrupt();
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
}
