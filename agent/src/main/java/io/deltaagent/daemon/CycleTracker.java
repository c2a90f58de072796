package io.deltaagent.daemon;

import java.time.Duration;

/** Counts audit cycles in flight so shutdown can wait a bounded time for them, and refuses new ones once stopping. */
final class CycleTracker {

    private int active;
    private boolean stopping;

    synchronized boolean enter() {
        if (stopping) {
            return false;
        }
        active++;
        return true;
    }

    synchronized void exit() {
        active--;
        notifyAll();
    }

    synchronized boolean stopping() {
        return stopping;
    }

    /** Refuses new cycles and waits at most {@code grace} for those running; true when none is left. */
    synchronized boolean stopAndAwait(Duration grace) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (active > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
