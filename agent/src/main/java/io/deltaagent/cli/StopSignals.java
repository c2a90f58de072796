package io.deltaagent.cli;

import io.deltaagent.maintain.StopRequest;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT for {@code maintain} while it runs jobs: the first asks to stop (the job in flight is cancelled
 * and recorded, the results printed, exit 143 or 130), a second exits at once. The JVM's own handlers are restored on
 * close. Uses {@code sun.misc.Signal} (jdk.unsupported, kept for this): a shutdown hook runs too late to print results
 * and cannot choose the exit code.
 */
final class StopSignals implements AutoCloseable {

    private final SignalHandler previousTerm;
    private final SignalHandler previousInt;

    private StopSignals(SignalHandler previousTerm, SignalHandler previousInt) {
        this.previousTerm = previousTerm;
        this.previousInt = previousInt;
    }

    static StopSignals install(StopRequest stop) {
        SignalHandler handler = signal -> {
            if (stop.requested()) {
                Runtime.getRuntime().halt(exitCode("SIG" + signal.getName()));
            }
            stop.request("SIG" + signal.getName());
        };
        return new StopSignals(handle("TERM", handler), handle("INT", handler));
    }

    /** Installs {@code handler}; null (the JVM's handling stays) where the JVM keeps the signal (-Xrs). */
    private static SignalHandler handle(String name, SignalHandler handler) {
        try {
            return Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** 128 plus the signal's number, as a shell reports a process that a signal ended. */
    static int exitCode(String signal) {
        return "SIGINT".equals(signal) ? ExitCode.STOPPED_BY_SIGINT : ExitCode.STOPPED_BY_SIGTERM;
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
