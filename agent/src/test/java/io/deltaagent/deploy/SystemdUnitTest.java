package io.deltaagent.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/systemd/delta-agent.service: what the daemon needs under systemd, and systemd's own check of the unit. */
class SystemdUnitTest {

    private static final Path REPO = Paths.get(System.getProperty("deltaagent.repo.dir", ".."));
    private static final Path UNIT = REPO.resolve("deploy/systemd/delta-agent.service");

    @Test
    void theUnitRunsTheDaemonAsAServiceUserAndLeavesJobsRunningOnStop() throws IOException {
        String unit = Files.readString(UNIT);
        assertThat(unit.lines().map(String::strip))
                .contains("Type=simple", "User=delta-agent", "StateDirectory=delta-agent", "KillMode=mixed",
                        "Restart=on-failure", "ExecReload=/bin/kill -HUP $MAINPID")
                .anyMatch(l -> l.startsWith("ExecStart=/usr/local/bin/delta-agent daemon --config /etc/delta-agent/agent.yaml"));
        // secrets come from an environment file, never from the unit itself
        assertThat(unit).doesNotContainPattern("(?i)Environment=.*(TOKEN|PASSWORD|SECRET)");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning(@TempDir Path tmp) throws Exception {
        Path analyze = Paths.get("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
        // verify checks that ExecStart's program exists: point it at the launcher in this checkout
        Path copy = tmp.resolve("delta-agent.service");
        Files.writeString(copy, Files.readString(UNIT).replace("/usr/local/bin/delta-agent",
                REPO.resolve("scripts/delta-agent").toAbsolutePath().normalize().toString()));
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // systemd-analyze exits 0 on directives it ignores, so any word it prints about the unit is a failure
        assertThat(output.lines().filter(l -> l.contains("delta-agent.service"))).isEmpty();
        assertThat(p.exitValue()).isZero();
    }
}
