package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged CLI as a user starts it (after {@code package}): scripts/delta-agent through a symlink on PATH, as the
 * Airflow operator's default {@code delta-agent} finds it. It reports the build's version, and a bare command prints
 * the usage with exit 2.
 */
class LauncherIT {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private Run run(Path launcher, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theLauncherWorksThroughASymlinkAndSaysItsVersion() throws Exception {
        Path repo = Path.of(System.getProperty("deltaagent.repo.dir")).toRealPath();
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path link = Files.createSymbolicLink(bin.resolve("delta-agent"), repo.resolve("scripts/delta-agent"));

        Run version = run(link, "--version");
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out().trim()).matches("delta-agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

        Run bare = run(link);
        assertThat(bare.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(bare.err()).contains("Usage: delta-agent").contains("name a command").doesNotContain("Exception");
    }
}
