package io.deltaagent.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the API reads a request: the Authorization header's scheme in any case, and query parameters it cannot use
 * answered 400 in JSON naming them. Over real HTTP against a real daemon (its own JVM, one healthy table, no Spark job).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiRequestsTest {

    private static final String TOKEN = "requests-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private DaemonProcess daemon;

    @BeforeAll
    void start() throws Exception {
        Path table = Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("lake")));
        Path config = Files.writeString(tmp.resolve("agent.yaml"), """
                defaults:
                  audit-schedule: "*/5 * * * * ?"
                tables:
                  - %s
                daemon:
                  http-address: 127.0.0.1:0
                  instance-id: requests-daemon
                  http-token-env: AGENT_TOKEN
                """.formatted(table));
        daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp), tmp.resolve("jobs"),
                Map.of("AGENT_TOKEN", TOKEN), TOKEN);
        Eventually.await("the table's first audit", Duration.ofSeconds(120), () -> daemon.json("/api/tables"), t -> t.size() == 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void theBearerSchemeIsAcceptedInAnyCaseAndAWrongTokenStillIsNot() throws Exception {
        for (String scheme : List.of("Bearer", "bearer", "BEARER", "bEaReR")) {
            HttpResponse<String> r = daemon.getAuthorized("/api/tables", scheme + " " + TOKEN);
            assertThat(r.statusCode()).as(scheme + ": " + r.body()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).size()).isEqualTo(1);
        }
        assertThat(daemon.getAuthorized("/metrics", "bearer   " + TOKEN).statusCode()).as("spaces after the scheme").isEqualTo(200);

        for (String wrong : List.of("bearer wrong-token", "Bearer " + TOKEN + "x", "Basic " + TOKEN, "bearer", TOKEN)) {
            HttpResponse<String> r = daemon.getAuthorized("/api/tables", wrong);
            assertThat(r.statusCode()).as(wrong).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("a bearer token is required");
        }
        assertThat(daemon.getAuthorized("/api/history", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aQueryParameterTheApiCannotUseIsA400InJsonNamingIt() throws Exception {
        Map<String, String> cases = Map.of(
                "/api/history?limit=abc", "limit: 'abc' is not an integer from 1 to 2147483647",
                "/api/history?limit=0", "limit: '0' is not an integer from 1 to 2147483647",
                "/api/history?limit=1.5", "limit: '1.5' is not an integer from 1 to 2147483647",
                "/api/history?table=s3:no-bucket", "table: a s3: table URI needs a bucket or host",
                "/api/samples?since=yesterday", "since: 'yesterday' is not a duration",
                "/api/samples?since=2026-13-01T00:00:00Z", "since: '2026-13-01T00:00:00Z' is not an instant");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = daemon.get(c.getKey(), TOKEN);
            assertThat(r.statusCode()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(c.getKey()).hasValue("application/json");
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("status").asInt()).as(c.getKey()).isEqualTo(400);
            assertThat(body.get("error").asText()).as(c.getKey()).startsWith(c.getValue());
        }
        HttpResponse<String> fine = daemon.get("/api/history?limit=50000", TOKEN);
        assertThat(fine.statusCode()).as("above the cap answers the cap: " + fine.body()).isEqualTo(200);
        assertThat(daemon.get("/api/history?limit=5&table=" + tmp.resolve("lake"), TOKEN).statusCode()).isEqualTo(200);
    }
}
