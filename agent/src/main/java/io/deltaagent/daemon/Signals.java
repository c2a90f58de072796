package io.deltaagent.daemon;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * POSIX signals for the daemon: the first SIGTERM (or SIGINT) asks for a clean stop, a second one exits at
 * once; SIGHUP reloads the config, also when the daemon was started under {@code nohup}. Uses {@code sun.misc.Signal}
 * (module jdk.unsupported, kept for exactly this) because shutdown hooks cannot tell a first signal from a second.
 */
public final class Signals {

    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    /** Exit status after a second stop signal, as a shell reports death by SIGTERM. */
    static final int HALT_STATUS = 143;

    private Signals() {
    }

    /** {@code onStop} and {@code onReload} must return quickly: they run on the JVM's signal thread. */
    public static void install(Runnable onStop, Runnable onReload) {
        AtomicInteger stops = new AtomicInteger();
        sun.misc.SignalHandler stop = signal -> {
            if (stops.incrementAndGet() > 1) {
                LOG.warn("second SIG{}: exiting now; jobs in flight are followed again at the next start", signal.getName());
                Runtime.getRuntime().halt(HALT_STATUS);
            }
            LOG.info("SIG{}: stopping (send it again to exit at once)", signal.getName());
            onStop.run();
        };
        Signal.handle(new Signal("TERM"), stop);
        Signal.handle(new Signal("INT"), stop);
        installReload(signal -> onReload.run());
    }

    /**
     * SIGHUP reloads. Started under {@code nohup}, the process inherits SIGHUP as ignored and the JVM then drops our
     * handler silently: the disposition is reset and the handler installed again, or, where that is not possible, one
     * warning says that SIGHUP will not reload and what to do instead.
     */
    private static void installReload(sun.misc.SignalHandler reload) {
        Signal hup = new Signal("HUP");
        if (Signal.handle(hup, reload) != sun.misc.SignalHandler.SIG_IGN) {
            return;
        }
        Optional<String> failed = IgnoredSignal.resetToDefault(hup.getNumber());
        if (failed.isEmpty() && Signal.handle(hup, reload) != sun.misc.SignalHandler.SIG_IGN) {
            LOG.info("SIGHUP was ignored when the daemon started (nohup?); its handler is installed anyway: SIGHUP reloads the config");
            return;
        }
        LOG.warn("SIGHUP was ignored when the daemon started (nohup?) and cannot be handled ({}): SIGHUP will NOT reload the "
                + "config; restart the daemon to apply a changed config, and start it without nohup (systemd, setsid) for "
                + "SIGHUP to reload", failed.orElse("the JVM still reports it ignored"));
    }
}
