package io.deltaagent.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.testing.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials never reach stdout, stderr, logs or messages; the config refuses cloud key settings. */
class RedactionTest {

    @TempDir
    Path tmp;

    @Test
    void masksCredentialsAndKeepsWhatSaysWhatIsWrong() {
        assertThat(Redaction.redact("databricks host https://dbc-1.cloud.databricks.com/?o=1&token=dapi0123456789abcdef is unreachable"))
                .isEqualTo("databricks host https://dbc-1.cloud.databricks.com/?o=1&token=*** is unreachable");
        assertThat(Redaction.redact("s3a://AKIAEXAMPLE:wJalrXUtnFEMI/K7MDENG@bucket/events: not found"))
                .isEqualTo("s3a://AKIAEXAMPLE:***@bucket/events: not found");
        for (String scheme : new String[] {"s3", "s3n", "gs"}) {
            assertThat(Redaction.redact(scheme + "://AKIAEXAMPLE:wJalrXUtnFEMI/K7MDENG@bucket/events: not found")).as(scheme)
                    .isEqualTo(scheme + "://AKIAEXAMPLE:***@bucket/events: not found");
        }
        assertThat(Redaction.redact("abfss://lake@acct.dfs.core.windows.net/events: not found")).as("a container is no secret")
                .isEqualTo("abfss://lake@acct.dfs.core.windows.net/events: not found");
        assertThat(Redaction.redact("jdbc:postgresql://db/agent?user=a&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/agent?user=a&password=***&ssl=true");
        assertThat(Redaction.redact("jdbc:h2:tcp://db/agent;PASSWORD=hunter2;MODE=x")).doesNotContain("hunter2");
        assertThat(Redaction.redact("history database jdbc:postgresql://h/a?password=hunter2: cannot connect"))
                .as("the message goes on after the URL").isEqualTo("history database jdbc:postgresql://h/a?password=***: cannot connect");
        assertThat(Redaction.redact("fs.azure.account.key.acct.dfs.core.windows.net=c2VjcmV0a2V5 was set"))
                .isEqualTo("fs.azure.account.key.acct.dfs.core.windows.net=*** was set");
        assertThat(Redaction.redact("fs.s3a.encryption.key=a2V5a2V5")).isEqualTo("fs.s3a.encryption.key=***");
        assertThat(Redaction.redact("Failure to initialize configuration for acct.dfs.core.windows.net key =\"c2VjcmV0a2V5\": "
                + "Invalid configuration value detected for fs.azure.account.key")).as("hadoop-azure quotes the key it rejected")
                .isEqualTo("Failure to initialize configuration for acct.dfs.core.windows.net key =\"***\": "
                        + "Invalid configuration value detected for fs.azure.account.key");
        assertThat(Redaction.redact("hadoop.fs.s3a.secret.key: secrets are not read")).as("a message about a key stays readable")
                .isEqualTo("hadoop.fs.s3a.secret.key: secrets are not read");
        assertThat(Redaction.redact("Authorization: Bearer abc.def-ghi")).isEqualTo("Authorization: Bearer ***");
        assertThat(Redaction.redact("https://b.s3.amazonaws.com/k?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA%2F"))
                .doesNotContain("deadbeef").doesNotContain("AKIA%2F");
        assertThat(Redaction.redact("/data/events: version 24, 150 files")).isEqualTo("/data/events: version 24, 150 files");
        assertThat(new DeltaAgentException("x https://h/?token=abc").getMessage()).isEqualTo("x https://h/?token=***");
    }

    @Test
    void theConfigRefusesCloudKeySettingsButNotProviders() {
        assertThat(Redaction.isSecretKey("fs.azure.account.key.acct.dfs.core.windows.net")).isTrue();
        assertThat(Redaction.isSecretKey("fs.s3a.encryption.key")).isTrue();
        assertThat(Redaction.isSecretKey("fs.s3a.bucket.lake.server-side-encryption.key")).isTrue();
        assertThat(Redaction.isSecretKey("fs.azure.sas.container.acct.blob.core.windows.net")).isTrue();
        assertThat(Redaction.isSecretKey("fs.gs.auth.client.secret")).isTrue();
        assertThat(Redaction.isSecretKey("fs.s3a.aws.credentials.provider")).isFalse();
        assertThat(Redaction.isSecretKey("fs.s3a.endpoint")).isFalse();
        assertThat(Redaction.isSecretKey("fs.s3a.encryption.algorithm")).isFalse();
        for (String key : new String[] {"fs.azure.account.key.acct.dfs.core.windows.net", "fs.s3a.encryption.key"}) {
            assertThatThrownBy(() -> new ConfigLoader().parse("agent.yaml", "hadoop:\n  " + key + ": c2VjcmV0\n"))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("hadoop." + key + ": secrets are not read")
                    .hasMessageNotContaining("c2VjcmV0");
        }
    }

    @Test
    void credentialsInATableUriReachNeitherOutputNorLogs() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, """
                hadoop:
                  fs.s3a.endpoint: "http://127.0.0.1:%d"
                  fs.s3a.path.style.access: "true"
                  fs.s3a.endpoint.region: us-east-1
                """.formatted(closed));
        String uri = "s3a://AKIAEXAMPLE:wJalrXUtnFEMIK7MDENG@redacted-bucket/events";
        for (String format : new String[] {"text", "json"}) {
            CliRun run = CliRun.forked("audit", "--verbose", "--format", format, "--config", config.toString(), uri);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TABLE_FAILED);
            assertThat(run.out() + run.err()).as("stdout, stderr and the --verbose stack traces").doesNotContain("wJalrXUtnFEMIK7MDENG")
                    .contains("redacted-bucket");
        }
        CliRun bad = CliRun.of(Map.of(), "history", "--history-db", "jdbc:postgresql://127.0.0.1:" + closed + "/a?password=hunter2",
                "--limit", "zero");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.out() + bad.err()).doesNotContain("hunter2");
    }
}
