package io.deltaagent.discover;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.IncrementalLogReader;
import io.deltaagent.deltalog.checksum.ChecksumCheck;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.LatencyProxy;
import io.deltaagent.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * What a daemon cycle (discover the root, then audit each table incrementally, as {@code daemon.AuditCycle} does)
 * costs an unchanged table on S3, counted by the server side of a loopback proxy: one LIST of its {@code _delta_log},
 * discovery included. The directories holding no table are listed once per cycle, whatever the number of tables.
 */
class UnchangedTableRequestsTest {

    private static final String FIXTURE = "spark_partitioned_checkpoints";

    @Test
    void anUnchangedTableCostsOneRequestPerCycleDiscoveryIncluded() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.createBucket("cycle-" + UUID.randomUUID().toString().substring(0, 8));
        try (LatencyProxy proxy = LatencyProxy.start(server.endpoint(), Duration.ZERO)) {
            Configuration conf = new Configuration();
            server.s3aSettings().forEach(conf::set);
            conf.set("fs.s3a.endpoint", proxy.endpoint().toString());
            conf.setBoolean("fs.s3a.impl.disable.cache", true);
            String root = "s3a://" + bucket + "/lake";
            List<String> tables = List.of(root + "/a", root + "/b", root + "/more/c");
            Path src = new Path(Fixtures.table(FIXTURE).toUri());
            for (String t : tables) {
                FileUtil.copy(src.getFileSystem(conf), src, new Path(t).getFileSystem(conf), new Path(t), false, conf);
            }
            TableDiscovery discovery = new TableDiscovery(conf, 12);
            IncrementalLogReader reader = new IncrementalLogReader(new HadoopStorage(conf), Clock.systemUTC(), Duration.ofHours(24));

            LatencyProxy.Counts before = proxy.counts();
            List<TableHealth> cold = cycle(discovery, reader, root);
            LatencyProxy.Counts coldCost = proxy.counts().minus(before);
            assertThat(cold).extracting(h -> h.readCost().mode()).containsOnly(ReadCost.FULL);
            assertThat(cold).extracting(h -> h.checksum().status()).containsOnly(ChecksumCheck.AGREES);

            before = proxy.counts();
            List<TableHealth> warm = cycle(discovery, reader, root);
            LatencyProxy.Counts warmCost = proxy.counts().minus(before);
            assertThat(warm).extracting(h -> h.readCost().mode()).containsOnly(ReadCost.UNCHANGED);
            assertThat(warm).extracting(TableHealth::files).isEqualTo(cold.stream().map(TableHealth::files).toList());
            // the root and lake/more hold no table: one LIST each; each table: the LIST of its _delta_log, nothing more
            assertThat(warmCost.requestsOnly()).as(warmCost.toJson()).isEqualTo(new LatencyProxy.Counts(0, 0, 2 + tables.size(), 0, 0, 0, 0, 0));

            // the same with a discovery that remembers nothing: each table's _delta_log probed (its first page) as well,
            // and each directory without a table probed (S3A: a LIST, a HEAD and a LIST for a missing one) and listed
            before = proxy.counts();
            try (TableDiscovery forgetfulDiscovery = new TableDiscovery(conf, 12)) {
                cycle(forgetfulDiscovery, reader, root);
            }
            LatencyProxy.Counts forgetful = proxy.counts().minus(before);
            assertThat(forgetful.requestsOnly()).as(forgetful.toJson())
                    .isEqualTo(new LatencyProxy.Counts(0, 2, 2 * 3 + 2L * tables.size(), 0, 0, 0, 0, 0));

            // one table changed: its new commit and the commit's checksum file, two GETs on top of its LIST
            FileSystem fs = new Path(root).getFileSystem(conf);
            long v = warm.get(0).identity().version() + 1;
            Path logDir = new Path(tables.get(0), "_delta_log");
            write(fs, new Path(logDir, String.format("%020d.json", v)), "{\"commitInfo\":{\"timestamp\":"
                    + System.currentTimeMillis() + ",\"operation\":\"WRITE\"}}\n");
            String crc;
            try (var in = fs.open(new Path(logDir, String.format("%020d.crc", v - 1)))) {
                crc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            write(fs, new Path(logDir, String.format("%020d.crc", v)), crc);
            before = proxy.counts();
            List<TableHealth> changed = cycle(discovery, reader, root);
            LatencyProxy.Counts changedCost = proxy.counts().minus(before);
            assertThat(changed.get(0).readCost().mode()).isEqualTo(ReadCost.INCREMENTAL);
            assertThat(changed.get(0).checksum()).isEqualTo(new ChecksumCheck(v, ChecksumCheck.AGREES, List.of(), null));
            assertThat(changedCost.requestsOnly()).as(changedCost.toJson())
                    .isEqualTo(new LatencyProxy.Counts(2, 0, 2 + tables.size(), 0, 0, 0, 0, 0));
            System.out.printf("requests per cycle for %d tables: cold %s, unchanged %s, unchanged without remembered tables "
                    + "%s, one table changed %s%n", tables.size(), coldCost.toJson(), warmCost.toJson(), forgetful.toJson(),
                    changedCost.toJson());
        }
    }

    private static List<TableHealth> cycle(TableDiscovery discovery, IncrementalLogReader reader, String root) {
        List<TableHealth> out = new ArrayList<>();
        for (String t : discovery.discover(root)) {
            out.add(reader.read(TableLocation.of(t), SettingsThresholds.of(TableSettings.defaults())));
        }
        return out;
    }

    private static void write(FileSystem fs, Path file, String text) throws Exception {
        try (var out = fs.create(file, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
