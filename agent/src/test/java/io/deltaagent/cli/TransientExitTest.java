package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PostgresTestServer;
import io.deltaagent.testing.SilentEndpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit 75 (retry later) where a server the command depends on is away or shedding load: a PostgreSQL history database
 * that was stopped, a catalog that never answers, an S3 endpoint answering 503 SlowDown. Real servers on loopback; no
 * Spark job. Bad config beside them stays 2, and a partial audit stays 1.
 */
class TransientExitTest {

    private static final Map<String, String> KEYS = Map.of("AWS_ACCESS_KEY_ID", "test-key", "AWS_SECRET_ACCESS_KEY", "not-a-secret",
            "AWS_REGION", "us-east-1");

    @TempDir
    Path tmp;

    @Test
    void aStoppedHistoryDatabaseIsRetryLaterNotBadUsageAndNothingIsMaintained() throws Exception {
        PostgresTestServer pg = PostgresTestServer.own();
        pg.stop();
        Path table = Fixtures.copy("spark_unpartitioned_nocheckpoint", tmp);
        byte[] log = Files.readAllBytes(table.resolve("_delta_log").resolve("00000000000000000000.json"));
        long logFiles;
        try (var files = Files.list(table.resolve("_delta_log"))) {
            logFiles = files.count();
        }

        CliRun history = CliRun.of("history", "--history-db", pg.jdbcUrl());
        CliRun maintain = CliRun.of("maintain", "--history-db", pg.jdbcUrl(), table.toString());

        assertThat(history.exitCode()).as(history.err()).isEqualTo(ExitCode.TRANSIENT);
        assertThat(history.err()).contains("history database " + pg.jdbcUrl()).contains("cannot connect");
        assertThat(maintain.exitCode()).as(maintain.err()).isEqualTo(ExitCode.TRANSIENT);
        assertThat(maintain.err()).contains("cannot connect");
        try (var files = Files.list(table.resolve("_delta_log"))) {
            assertThat(files.count()).as("no job ran: the log has no new commit").isEqualTo(logFiles);
        }
        assertThat(table.resolve("_delta_log").resolve("00000000000000000000.json")).hasBinaryContent(log);

        CliRun bad = CliRun.of("history", "--history-db", "jdbc:nosuchdb:whatever");
        assertThat(bad.exitCode()).as("a URL no driver takes is bad config, not a blip: " + bad.err()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aSilentCatalogIsRetryLaterWhenItWasAllTheRunHadAndATableFailureBesideAHealthyTable() throws Exception {
        try (SilentEndpoint silent = new SilentEndpoint()) {
            Path config = tmp.resolve("agent.yaml");
            Files.writeString(config, "catalogs:\n  dead:\n    type: glue\n    endpoint: http://127.0.0.1:" + silent.port()
                    + "\n    region: us-east-1\n    timeout: 2s\n");
            long t0 = System.nanoTime();

            CliRun alone = CliRun.of(KEYS, "audit", "--config", config.toString(), "--catalog", "dead", "--format", "json");

            assertThat(alone.exitCode()).as(alone.out() + alone.err()).isEqualTo(ExitCode.TRANSIENT);
            assertThat(alone.json().get("exitCode").asInt()).isEqualTo(ExitCode.TRANSIENT);
            JsonNode error = alone.json().get("tables").get(0).get("error");
            assertThat(error.get("message").asText()).startsWith("catalog dead: ").contains("catalogs.dead.timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
            assertThat(silent.accepted()).isPositive();

            Path healthy = Fixtures.copy("spark_optimized", tmp);
            CliRun partial = CliRun.of(KEYS, "audit", "--config", config.toString(), "--catalog", "dead", "--format", "json",
                    healthy.toString());
            assertThat(partial.exitCode()).as("one table was measured: a result, with the catalog's failure in it")
                    .isEqualTo(ExitCode.TABLE_FAILED);
        }
    }

    @Test
    void anS3EndpointAnswering503SlowDownIsRetryLater() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                    + "<Message>Please reduce your request rate.</Message><RequestId>1</RequestId></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(503, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        s3.start();
        try {
            Path config = tmp.resolve("s3.yaml");
            // S3A's and the SDK's retries bounded: the test shows the classification, not S3A's patience
            Files.writeString(config, """
                    hadoop:
                      fs.s3a.endpoint: "http://127.0.0.1:%d"
                      fs.s3a.path.style.access: "true"
                      fs.s3a.endpoint.region: us-east-1
                      fs.s3a.attempts.maximum: "1"
                      fs.s3a.retry.limit: "1"
                      fs.s3a.retry.interval: 10ms
                      fs.s3a.retry.throttle.limit: "1"
                      fs.s3a.retry.throttle.interval: 10ms
                    """.formatted(s3.getAddress().getPort()));
            long t0 = System.nanoTime();

            CliRun run = CliRun.of(KEYS, "audit", "--config", config.toString(), "--format", "json", "s3a://throttled/events");

            assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.TRANSIENT);
            JsonNode error = run.json().get("tables").get(0).get("error");
            assertThat(error.get("kind").asText()).isEqualTo("STORAGE_ERROR");
            assertThat(error.get("message").asText()).startsWith("s3a://throttled/events: ");
            assertThat(requests.get()).as("it reached the throttling endpoint").isPositive();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        } finally {
            s3.stop(0);
        }
    }
}
