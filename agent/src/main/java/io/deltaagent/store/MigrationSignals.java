package io.deltaagent.store;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Holds SIGTERM and SIGINT while the history schema migrates. H2 runs DDL outside transactions: a process that exits
 * half-way through a migration (the JVM's own SIGTERM handling closes the database from a shutdown hook) leaves it
 * half-applied, and every later command fails on it. While held, a signal is only noted; on {@link #close} the
 * previous handlers are back and {@link #received} says which signal came, for the caller to stop then. Uses
 * {@code sun.misc.Signal} (jdk.unsupported) as the CLI's and the daemon's own stop signals do.
 */
final class MigrationSignals implements AutoCloseable {

    private final AtomicReference<String> received = new AtomicReference<>();
    private final SignalHandler previousTerm;
    private final SignalHandler previousInt;

    private MigrationSignals() {
        SignalHandler note = signal -> received.compareAndSet(null, "SIG" + signal.getName());
        previousTerm = handle("TERM", note);
        previousInt = handle("INT", note);
    }

    static MigrationSignals hold() {
        return new MigrationSignals();
    }

    /** The first signal that came while held ({@code SIGTERM}, {@code SIGINT}), or null. */
    String received() {
        return received.get();
    }

    /** Null where the JVM keeps the signal (-Xrs): then there is nothing to hold or restore. */
    private static SignalHandler handle(String name, SignalHandler handler) {
        try {
            return Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (previousTerm != null) {
            Signal.handle(new Signal("TERM"), previousTerm);
        }
        if (previousInt != null) {
            Signal.handle(new Signal("INT"), previousInt);
        }
    }
}
