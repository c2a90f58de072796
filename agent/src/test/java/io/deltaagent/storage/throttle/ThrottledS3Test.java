package io.deltaagent.storage.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.bench.S3BenchServer;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.error.TableReadException;
import io.deltaagent.error.Transience;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LatencyProxy;
import io.deltaagent.testing.LatencyProxy.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audits through S3A against the real S3Proxy behind the fault-injecting {@link LatencyProxy}: a bucket that answers
 * {@code 503 SlowDown} past S3A's throttle retries is a throttled, transient storage error (exit 75), and connection
 * resets and latency spikes that S3A's retries absorb still give the fixture's true figures.
 */
class ThrottledS3Test {

    private static final String TABLE = "spark_partitioned_checkpoints";

    @TempDir
    static Path dir;

    private static S3BenchServer server;
    private static String hot;
    private static String cool;

    @BeforeAll
    static void start() throws Exception {
        server = S3BenchServer.start(Path.of(System.getProperty("deltaagent.s3proxy.jar")), dir, "cool", Duration.ZERO);
        cool = server.placeTable("t/" + TABLE, Fixtures.table(TABLE));
        hot = server.placeTable("hot", "t/" + TABLE, Fixtures.table(TABLE));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void clear() {
        server.proxy().clearFaults();
    }

    /** S3A through the proxy, with S3A's throttle retries cut to one short wait so a test does not wait minutes. */
    private static Map<String, String> s3a() {
        Map<String, String> conf = new java.util.LinkedHashMap<>(server.s3aSettings(true));
        conf.put("fs.s3a.retry.throttle.limit", "2");
        conf.put("fs.s3a.retry.throttle.interval", "50ms");
        conf.put("fs.s3a.impl.disable.cache", "true");
        return conf;
    }

    private static TableHealth read(String table) {
        Configuration conf = new Configuration();
        s3a().forEach(conf::set);
        return new LogHealthReader(new HadoopStorage(conf), Clock.systemUTC()).read(TableLocation.of(table), SettingsThresholds.of(TableSettings.defaults()));
    }

    @Test
    void slowDownPastS3aRetriesIsAThrottledTransientStorageErrorOfThatBucketOnly() {
        server.proxy().inject(Fault.SLOW_DOWN, "hot", 1.0, null);

        assertThatThrownBy(() -> read(hot)).isInstanceOfSatisfying(TableReadException.class, e -> {
            assertThat(e.kind()).isEqualTo(TableReadException.Kind.STORAGE_ERROR);
            assertThat(e.getMessage()).startsWith(hot + ": storage error: ");
            assertThat(Throttling.isThrottled(e)).as("throttled: %s", e.getMessage()).isTrue();
            assertThat(Transience.isTransient(e)).isTrue();
        });
        assertThat(server.proxy().injected(Fault.SLOW_DOWN)).as("S3A retried the throttled request").isGreaterThan(1);

        JsonNode truth = Fixtures.truth(TABLE);
        TableHealth other = read(cool);
        assertThat(other.files().activeFiles()).as("the other bucket is read as ever").isEqualTo(truth.get("numFiles").asLong());
    }

    @Test
    void theCliExits75ForAThrottledTableAndNamesIt(@TempDir Path tmp) throws Exception {
        server.proxy().inject(Fault.SLOW_DOWN, "hot", 1.0, null);
        StringBuilder yaml = new StringBuilder("hadoop:\n");
        s3a().forEach((k, v) -> {
            if (!k.equals("fs.s3a.access.key") && !k.equals("fs.s3a.secret.key")) {
                yaml.append("  ").append(k).append(": \"").append(v).append("\"\n");
            }
        });
        Path config = Files.writeString(tmp.resolve("agent.yaml"), yaml);
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", S3BenchServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3BenchServer.SECRET_KEY);

        CliRun run = CliRun.of(env, "audit", "--config", config.toString(), "--format", "json", hot);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.TRANSIENT);
        JsonNode error = run.json().get("tables").get(0).get("error");
        assertThat(error.get("kind").asText()).isEqualTo("STORAGE_ERROR");
        assertThat(error.get("message").asText()).startsWith(hot + ": storage error: ").containsIgnoringCase("slow");
        assertThat(run.out() + run.err()).doesNotContain(S3BenchServer.SECRET_KEY);
    }

    @Test
    void resetsAndLatencySpikesThatS3aRetriesAbsorbLeaveTheFiguresTrue() {
        LatencyProxy proxy = server.proxy();
        proxy.inject(Fault.RESET, "cool", 0.25, null); // every 4th request of the bucket
        proxy.injectSpike(Duration.ofMillis(400), "cool", 0.5, null);
        long t0 = System.nanoTime();

        TableHealth h = read(cool);

        long millis = (System.nanoTime() - t0) / 1_000_000;
        JsonNode truth = Fixtures.truth(TABLE);
        assertThat(h.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(h.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
        assertThat(h.identity().version()).isEqualTo(truth.get("version").asLong());
        assertThat(proxy.injected(Fault.RESET)).as("connections were reset").isPositive();
        assertThat(proxy.injected(Fault.LATENCY_SPIKE)).isPositive();
        assertThat(millis).as("the spikes were waited for").isGreaterThanOrEqualTo(400L * proxy.injected(Fault.LATENCY_SPIKE) / 8);
    }
}
