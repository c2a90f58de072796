package io.deltaagent.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.error.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {

    @TempDir
    Path tmp;

    private static DaemonSettings daemon(String yaml) {
        return new ConfigLoader().parse("agent.yaml", "daemon:\n" + yaml).daemon();
    }

    @Test
    void theTokenComesFromTheEnvironmentOrAFileNeverTheConfig() throws Exception {
        assertThat(BearerToken.resolve(DaemonSettings.defaults(), Map.of())).isNull();
        assertThat(BearerToken.resolve(daemon("  http-token-env: AGENT_TOKEN\n"), Map.of("AGENT_TOKEN", " s3cret\n"))).isEqualTo("s3cret");
        Path file = Files.writeString(tmp.resolve("token"), "from-file\n");
        assertThat(BearerToken.resolve(daemon("  http-token-file: " + file + "\n"), Map.of())).isEqualTo("from-file");
    }

    @Test
    void aConfiguredButMissingTokenIsAnErrorThatNamesTheSetting() {
        assertThatThrownBy(() -> BearerToken.resolve(daemon("  http-token-env: AGENT_TOKEN\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("daemon.http-token-env: the environment variable AGENT_TOKEN is not set or empty");
        assertThatThrownBy(() -> BearerToken.resolve(daemon("  http-token-file: " + tmp.resolve("nope") + "\n"), Map.of()))
                .hasMessageStartingWith("daemon.http-token-file: cannot read " + tmp.resolve("nope"));
        assertThatThrownBy(() -> BearerToken.resolve(daemon("  http-token-env: A\n  http-token-file: /f\n"), Map.of()))
                .hasMessage("daemon: set http-token-env or http-token-file, not both");
    }
}
