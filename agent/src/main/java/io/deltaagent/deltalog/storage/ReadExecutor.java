package io.deltaagent.deltalog.storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The log-reading engine's one bounded pool of read threads, shared by the audits of one reader: each audit reads
 * through a {@link #lane} that has at most its bound of tasks in the pool at a time, so an audit with a thousand
 * commits to fetch queues behind its own bound instead of ahead of the other audits. Before it, every audit started
 * a pool of its own (a daemon's first cycle of 1,000 tables started ~8,000 threads).
 *
 * <p>Threads start on demand and end after a few idle seconds; {@link #close()} stops them. Submit leaf reads only:
 * a task that waits on another task of the pool can wait for ever once every thread does the same.
 */
public final class ReadExecutor implements AutoCloseable {

    /**
     * Read threads of one reader, shared by its audits: 8 audits at once (a daemon's usual concurrency) keep their 8
     * reads each in flight. The reads wait on storage latency, not CPU: a thread per read in flight is cheap, too few
     * leave an object store's round trips queued.
     */
    public static final int THREADS = 64;
    /** Reads in flight per audit: enough to hide a request's latency, few enough to stay polite to the store. */
    public static final int PER_AUDIT = 8;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor beside;

    public ReadExecutor() {
        this(THREADS);
    }

    public ReadExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("read threads must be at least 1, got " + threads);
        }
        int id = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "log-read-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true); // a one-shot CLI exits even if a reader was left open
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        AtomicInteger m = new AtomicInteger();
        beside = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "audit-beside-" + id + "-" + m.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Where an audit runs the one task that waits on its own reads (the history beside the snapshot): never in the read
     * pool, whose threads it could hold while its reads queue behind it. Threads are reused across audits, so there are
     * as many as audits run at once.
     */
    public ExecutorService beside() {
        return beside;
    }

    /**
     * An executor for one audit: at most {@code bound} of its tasks run or wait in the shared pool at once, the rest wait
     * in the lane in order. Its {@code shutdownNow} cancels the lane's waiting tasks and interrupts its running ones
     * only, never another audit's.
     */
    public ExecutorService lane(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("a lane's bound must be at least 1, got " + bound);
        }
        return new Lane(bound);
    }

    /** Threads alive in the pool now (for tests and gauges). */
    public int threads() {
        return pool.getPoolSize();
    }

    /** Threads the pool has had at most at once. */
    public int largestThreads() {
        return pool.getLargestPoolSize();
    }

    /** Stops the pool: reads in flight are interrupted, queued ones never run. */
    @Override
    public void close() {
        pool.shutdownNow();
        beside.shutdownNow();
    }

    private final class Lane extends AbstractExecutorService {
        private final int bound;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        private final Set<Thread> running = new HashSet<>();
        private int admitted;
        /** No new tasks; those submitted still run. */
        private boolean shutdown;
        /** Nor those: the audit is over ({@link #shutdownNow}). */
        private boolean stopped;

        Lane(int bound) {
            this.bound = bound;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (shutdown) {
                    throw new RejectedExecutionException("the audit's reads are closed");
                }
                if (admitted >= bound) {
                    waiting.add(task);
                    return;
                }
                admitted++;
            }
            admit(task);
        }

        private void admit(Runnable task) {
            try {
                pool.execute(() -> run(task));
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    admitted--;
                }
                throw e;
            }
        }

        private void run(Runnable task) {
            Thread self = Thread.currentThread();
            try {
                synchronized (this) {
                    if (stopped) {
                        cancel(task);
                        return;
                    }
                    running.add(self);
                }
                task.run();
            } finally {
                Runnable next;
                synchronized (this) {
                    running.remove(self);
                    next = stopped ? null : waiting.poll();
                    if (next == null) {
                        admitted--;
                    }
                }
                Thread.interrupted(); // an interrupt meant for this lane's task must not reach another audit's next
                if (next != null) {
                    try {
                        admit(next); // to the back of the pool's queue: the other audits' reads go first
                    } catch (RejectedExecutionException e) {
                        cancel(next); // the reader is closed
                    }
                }
            }
        }

        @Override
        public synchronized void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            List<Runnable> dropped;
            synchronized (this) {
                shutdown = true;
                stopped = true;
                dropped = new ArrayList<>(waiting);
                waiting.clear();
                running.forEach(Thread::interrupt);
            }
            dropped.forEach(Lane::cancel);
            return dropped;
        }

        /** Whoever waits on a task that will never run learns so instead of waiting for ever. */
        private static void cancel(Runnable task) {
            if (task instanceof Future<?> f) {
                f.cancel(false);
            }
        }

        @Override
        public synchronized boolean isShutdown() {
            return shutdown;
        }

        @Override
        public synchronized boolean isTerminated() {
            return shutdown && admitted == 0 && waiting.isEmpty();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (!isTerminated()) {
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }
    }

    /**
     * The result of a read submitted to this pool, its failure rethrown as it was (an IOException, a runtime exception),
     * an interrupt as an {@link java.io.InterruptedIOException} saying what was interrupted.
     *
     * @param doing what the read was for, e.g. "reading the log"
     */
    public static <T> T await(Future<T> f, String doing) throws java.io.IOException {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof java.io.IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new java.io.IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while " + doing);
        }
    }
}
