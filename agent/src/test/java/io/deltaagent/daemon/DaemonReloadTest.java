package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP reloads the config; an invalid one is rejected with its error and the running one kept. No Spark job. */
class DaemonReloadTest {

    @TempDir
    Path tmp;

    @Test
    void sighupReloadsAValidConfigAndKeepsTheOldOneWhenTheNewIsInvalid() throws Exception {
        Path first = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("a")));
        Path second = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("b")));
        Path config = tmp.resolve("agent.yaml");
        String daemonSection = """
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: reloading-daemon
                """;
        Files.writeString(config, "defaults:\n  audit-schedule: \"*/2 * * * * ?\"\ntables:\n  - " + first + "\n" + daemonSection);
        try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp),
                tmp.resolve("jobs"), Map.of(), null)) {
            Eventually.await("the first table's audit", Duration.ofSeconds(120), () -> daemon.json("/api/tables"),
                    t -> DaemonEndToEndTest.table(t, first.toString()) != null);

            Files.writeString(config, "defaults:\n  min-small-files: 1\ntables:\n  - " + second + "\n" + daemonSection);
            hangUp(daemon);
            Eventually.await("the rejection in the log", Duration.ofSeconds(60), daemon::log,
                    log -> log.contains("SIGHUP: the config is not reloaded, the running one is kept: " + config
                            + ": defaults.min-small-files: 1 is out of range: must be >= 2"));
            assertThat(daemon.get("/readyz", null).statusCode()).isEqualTo(200);

            Files.writeString(config, "defaults:\n  audit-schedule: \"*/3 * * * * ?\"\ntables:\n  - " + second + "\n" + daemonSection);
            hangUp(daemon);
            Eventually.await("the second table's audit", Duration.ofSeconds(120), () -> daemon.json("/api/tables"),
                    t -> DaemonEndToEndTest.table(t, second.toString()) != null);
            assertThat(daemon.log()).contains("config reloaded: 1 listed tables, 0 discovery roots, schedules [*/3 * * * * ?]");
            assertThat(daemon.terminate(Duration.ofSeconds(90))).isZero();
        }
    }

    /**
     * nohup starts the JVM with SIGHUP ignored, and the JVM then installs no handler for it and says nothing: the
     * daemon resets it and reloads on SIGHUP all the same.
     */
    @Test
    void sighupReloadsTheConfigOfADaemonStartedUnderNohup() throws Exception {
        Path first = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("a")));
        Path second = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("b")));
        Path config = tmp.resolve("agent.yaml");
        String daemonSection = """
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: nohup-daemon
                """;
        Files.writeString(config, "defaults:\n  audit-schedule: \"*/2 * * * * ?\"\ntables:\n  - " + first + "\n" + daemonSection);
        try (DaemonProcess daemon = DaemonProcess.startUnder(List.of("nohup"), "daemon", tmp, config,
                HistoryDb.h2(tmp), tmp.resolve("jobs"), Map.of(), null)) {
            assertThat(ProcessHandle.of(daemon.pid()).flatMap(p -> p.info().command()).orElseThrow())
                    .as("nohup exec'd the JVM").endsWith("java");
            Eventually.await("the first table's audit", Duration.ofSeconds(120), () -> daemon.json("/api/tables"),
                    t -> DaemonEndToEndTest.table(t, first.toString()) != null);

            Files.writeString(config, "defaults:\n  audit-schedule: \"*/3 * * * * ?\"\ntables:\n  - " + second + "\n" + daemonSection);
            hangUp(daemon);
            Eventually.await("the reload", Duration.ofSeconds(60), daemon::log,
                    log -> log.contains("config reloaded: 1 listed tables, 0 discovery roots, schedules [*/3 * * * * ?]"));
            Eventually.await("the second table's audit", Duration.ofSeconds(60), () -> daemon.json("/api/tables"),
                    t -> DaemonEndToEndTest.table(t, second.toString()) != null);
            assertThat(daemon.log()).contains("SIGHUP was ignored when the daemon started (nohup?); its handler is installed "
                    + "anyway: SIGHUP reloads the config");
            assertThat(daemon.terminate(Duration.ofSeconds(90))).isZero();
        }
    }

    /** Where the signal cannot be reset (here: JNA kept from its native part), one warning at start says so and what to do. */
    @Test
    void aDaemonUnderNohupThatCannotHandleSighupSaysSoAtStart() throws Exception {
        Path table = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("a")));
        Path config = Files.writeString(tmp.resolve("agent.yaml"), "tables:\n  - " + table
                + "\ndaemon:\n  http-address: 127.0.0.1:0\n  instance-id: deaf-daemon\n");
        Map<String, String> noNativeAccess = Map.of("JAVA_TOOL_OPTIONS",
                "-Djna.nosys=true -Djna.nounpack=true -Djna.boot.library.path=" + tmp.resolve("no-such-dir"));
        try (DaemonProcess daemon = DaemonProcess.startUnder(List.of("nohup"), "daemon", tmp, config,
                HistoryDb.h2(tmp), tmp.resolve("jobs"), noNativeAccess, null)) {
            String log = Eventually.await("the warning", Duration.ofSeconds(30), daemon::log, l -> l.contains("SIGHUP"));
            assertThat(log).contains("SIGHUP was ignored when the daemon started (nohup?) and cannot be handled "
                    + "(UnsatisfiedLinkError: Could not find JNA native support): SIGHUP will NOT reload the config; restart the "
                    + "daemon to apply a changed config, and start it without nohup (systemd, setsid) for SIGHUP to reload");
            hangUp(daemon);
            assertThat(daemon.exitWithin(Duration.ofSeconds(2))).as("SIGHUP stays ignored").isNull();
            assertThat(daemon.terminate(Duration.ofSeconds(90))).isZero();
        }
    }

    private static void hangUp(DaemonProcess daemon) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(daemon.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
