package io.deltaagent.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.SilentEndpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** Every history database URL shape the agent supports, as the drivers and the store's messages print it. */
    @Test
    void masksThePasswordOfEveryDatabaseUrlShapeAndKeepsTheHost() {
        String secret = "Hunter2-Secret";
        String[][] shapes = {
            {"jdbc:postgresql://db.internal:5432/agent?user=agent&password=" + secret + "&ssl=true", "db.internal:5432/agent"},
            {"jdbc:postgresql://db.internal/agent?password=" + secret, "db.internal/agent"},
            {"jdbc:postgresql://db.internal/agent?PASSWORD=" + secret + "&user=agent", "user=agent"},
            {"jdbc:postgresql://agent:" + secret + "@db.internal:5432/agent", "@db.internal:5432/agent"},
            {"jdbc:postgresql://agent:" + secret + "@[::1]:5432/agent", "@[::1]:5432/agent"},
            {"jdbc:postgresql://agent:" + secret + "@x/y@db.internal/agent", "@db.internal/agent"},
            {"jdbc:h2:file:/var/lib/agent/history;USER=sa;PASSWORD=" + secret, "jdbc:h2:file:/var/lib/agent/history;USER=sa"},
            {"jdbc:h2:file:/var/lib/agent/history;PASSWORD=" + secret + ";AUTO_SERVER=TRUE", ";AUTO_SERVER=TRUE"},
            {"jdbc:h2:tcp://db.internal:9092/~/history;password=" + secret, "jdbc:h2:tcp://db.internal:9092/~/history"},
            {"jdbc:h2:tcp://sa:" + secret + "@db.internal:9092/~/history", "@db.internal:9092/~/history"},
            {"jdbc:h2:mem:history;DB_CLOSE_DELAY=-1;PASSWORD=" + secret, "jdbc:h2:mem:history;DB_CLOSE_DELAY=-1"},
        };
        for (String[] shape : shapes) {
            String message = "history database " + shape[0] + ": cannot connect: Connection refused";
            assertThat(Redaction.redact(message)).as(shape[0]).doesNotContain(secret).contains(shape[1])
                    .endsWith(": cannot connect: Connection refused");
        }
        // what the drivers echo of a URL they misread: the authority as a host name, without its scheme
        assertThat(Redaction.redact("cannot connect: agent:" + secret + "@127.0.0.1")).isEqualTo("cannot connect: agent:***@127.0.0.1");
        assertThat(Redaction.redact("java.net.UnknownHostException: agent:" + secret + "@[::1]")).doesNotContain(secret);
        for (String plain : new String[] {"jdbc:postgresql://db.internal:5432/agent?user=agent", "jdbc:h2:file:/var/lib/agent/history",
                "jdbc:h2:tcp://db.internal:9092/~/history", "jdbc:h2:mem:history;DB_CLOSE_DELAY=-1",
                "abfss://container@account.dfs.core.windows.net/events", "s3a://bucket/a:b/c", "at 12:30 UTC"}) {
            assertThat(Redaction.redact(plain + ": cannot connect")).as("nothing secret: unchanged").isEqualTo(plain + ": cannot connect");
        }
    }

    /**
     * The password of a --history-db URL reaches neither stdout nor stderr (logs, --verbose traces) of history, maintain
     * or daemon, each a real process, whether the database refuses the connection or never answers; a user and password
     * in the URL's authority, which the drivers misread as a host and echo, are refused before anything runs.
     */
    @Test
    void aHistoryDatabasePasswordIsPrintedByNoCommand() throws Exception {
        String secret = "Hunter2-Secret";
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        Path table = Fixtures.copy("spark_optimized", tmp);
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "tables:\n  - path: " + table + "\n");
        try (SilentEndpoint silent = new SilentEndpoint()) {
            // forked where a driver connects (its logs and --verbose traces are the process's stderr); in-process where
            // the URL is refused while the command line is parsed, before anything logs
            Map<String, Boolean> urls = Map.of(
                    "jdbc:postgresql://127.0.0.1:" + refused + "/agent?user=agent&password=" + secret, true,
                    "jdbc:postgresql://127.0.0.1:" + silent.port() + "/agent?password=" + secret + "&connectTimeout=2&loginTimeout=2", true,
                    "jdbc:h2:tcp://127.0.0.1:" + refused + "/agent;PASSWORD=" + secret, false,
                    "jdbc:postgresql://agent:" + secret + "@127.0.0.1:" + refused + "/agent", false,
                    "jdbc:h2:tcp://sa:" + secret + "@127.0.0.1:" + refused + "/agent", false);
            for (Map.Entry<String, Boolean> url : urls.entrySet()) {
                List<List<String>> commands = List.of(
                        List.of("history", "--history-db", url.getKey()),
                        List.of("maintain", "--verbose", "--history-db", url.getKey(), "--config", config.toString()),
                        List.of("daemon", "--verbose", "--history-db", url.getKey(), "--config", config.toString()));
                for (List<String> command : commands) {
                    String[] args = command.toArray(String[]::new);
                    CliRun run = url.getValue() ? CliRun.forked(args) : CliRun.of(Map.of(), args);
                    // a refused or silent server is retry-later (75); user-info refused at parse is bad usage (2)
                    assertThat(run.exitCode()).as(command + ": " + run.err())
                            .isEqualTo(url.getKey().contains("@") ? ExitCode.USAGE : ExitCode.TRANSIENT);
                    assertThat(run.out() + run.err()).as(command.toString()).doesNotContain(secret)
                            .contains(url.getKey().contains("@") ? "a user or password in the URL is not read" : "cannot connect");
                }
            }
        }
    }

    /** An H2 URL's own ;USER= and ;PASSWORD= are used as given, not doubled by the built-in sa/"" (H2 refused that). */
    @Test
    void anH2UrlWithItsOwnUserAndPasswordOpens() {
        String url = HistoryDb.h2(tmp) + ";USER=agent;PASSWORD=Hunter2-Secret";
        for (int i = 0; i < 2; i++) {
            CliRun run = CliRun.of("history", "--history-db", url);
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.HEALTHY);
            assertThat(run.out()).contains("no maintenance runs recorded");
        }
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
