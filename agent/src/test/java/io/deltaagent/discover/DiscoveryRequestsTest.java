package io.deltaagent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.testing.LatencyProxy;
import io.deltaagent.testing.S3TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * What a first discovery costs on S3, counted at a loopback proxy in front of S3Proxy: a table costs one LIST (the
 * first page of its {@code _delta_log}) however many data files sit beside it; only the directories holding no table
 * are listed to descend.
 */
class DiscoveryRequestsTest {

    /** Small pages so that a table's data files would cost several LISTs to whoever lists the table's directory. */
    private static final int PAGE = 100;
    private static final int MANY_FILES = 1_000;

    @Test
    void aTableCostsOneListWhateverItsDataFiles() throws Exception {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.createBucket("disc-" + UUID.randomUUID().toString().substring(0, 8));
        Configuration direct = conf(server, server.endpoint().toString());
        // the same 20 tables twice: in "few" each has one data file, in "many" three of them have 1,000
        List<String> few = layout("s3a://" + bucket + "/few");
        List<String> many = layout("s3a://" + bucket + "/many");
        FileSystem fs = new Path(few.get(0)).getFileSystem(direct);
        for (int i = 0; i < few.size(); i++) {
            writeTable(fs, few.get(i), 1);
            writeTable(fs, many.get(i), i % 7 == 0 ? MANY_FILES : 1);
        }
        // not tables: a directory with data and no log, and a _delta_log that is a file
        touch(fs, new Path("s3a://" + bucket + "/many/loose/part-0.parquet"));
        touch(fs, new Path("s3a://" + bucket + "/few/loose/part-0.parquet"));
        touch(fs, new Path("s3a://" + bucket + "/many/fake/_delta_log"));
        touch(fs, new Path("s3a://" + bucket + "/few/fake/_delta_log"));

        try (LatencyProxy proxy = LatencyProxy.start(server.endpoint(), Duration.ofMillis(5))) {
            Configuration conf = conf(server, proxy.endpoint().toString());
            LatencyProxy.Counts fewCost;
            LatencyProxy.Counts manyCost;
            LatencyProxy.Counts again;
            try (TableDiscovery discovery = new TableDiscovery(conf, 12)) {
                LatencyProxy.Counts before = proxy.counts();
                assertThat(discovery.discover("s3a://" + bucket + "/few")).containsExactlyElementsOf(sorted(few));
                fewCost = proxy.counts().minus(before).requestsOnly();
                before = proxy.counts();
                assertThat(discovery.discover("s3a://" + bucket + "/many")).containsExactlyElementsOf(sorted(many));
                manyCost = proxy.counts().minus(before).requestsOnly();
                before = proxy.counts();
                assertThat(discovery.discover("s3a://" + bucket + "/many")).containsExactlyElementsOf(sorted(many));
                again = proxy.counts().minus(before).requestsOnly();
            }
            System.out.printf("first discovery of %d tables: one data file each %s, three with %d %s; again %s%n",
                    few.size(), fewCost.toJson(), MANY_FILES, manyCost.toJson(), again.toJson());
            assertThat(manyCost).as(manyCost.toJson()).isEqualTo(fewCost);
            // each table: the first page of its _delta_log. Each of the 4 directories without a table (the root, deep,
            // deep/x, loose): the probe of a missing _delta_log (S3A: a LIST, then a HEAD and a LIST to tell a missing
            // directory from an empty one) and its listing. fake: the probe finds a file (a LIST and a HEAD), a listing.
            assertThat(manyCost).as(manyCost.toJson())
                    .isEqualTo(new LatencyProxy.Counts(0, 4 + 1, few.size() + 4 * 3 + 2, 0, 0, 0, 0, 0));
            // the next discovery: the tables are known, the 5 directories without one are listed, nothing else
            assertThat(again).as(again.toJson()).isEqualTo(new LatencyProxy.Counts(0, 0, 5, 0, 0, 0, 0, 0));
        }
    }

    @Test
    void aMissingRootIsAnErrorNamingIt() {
        S3TestServer server = S3TestServer.shared();
        String bucket = server.createBucket("disc-" + UUID.randomUUID().toString().substring(0, 8));
        try (TableDiscovery discovery = new TableDiscovery(conf(server, server.endpoint().toString()), 12)) {
            String root = "s3a://" + bucket + "/absent";
            assertThatThrownBy(() -> discovery.discover(root))
                    .isInstanceOf(DeltaAgentException.class).hasMessage(root + ": discovery root does not exist");
        }
    }

    /** 16 tables at the top, 4 two levels down. */
    private static List<String> layout(String root) {
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tables.add(String.format("%s/t%02d", root, i));
        }
        for (int i = 16; i < 20; i++) {
            tables.add(String.format("%s/deep/x/t%02d", root, i));
        }
        return tables;
    }

    private static List<String> sorted(List<String> tables) {
        return tables.stream().sorted().toList();
    }

    private static void writeTable(FileSystem fs, String table, int dataFiles) throws Exception {
        write(fs, new Path(table, "_delta_log/00000000000000000000.json"), "{\"commitInfo\":{}}\n");
        for (int f = 0; f < dataFiles; f++) {
            touch(fs, new Path(table, String.format("part-%05d.parquet", f)));
        }
    }

    private static void touch(FileSystem fs, Path file) throws Exception {
        write(fs, file, "x");
    }

    private static void write(FileSystem fs, Path file, String text) throws Exception {
        try (var out = fs.createFile(file).overwrite(true).build()) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Configuration conf(S3TestServer server, String endpoint) {
        Configuration conf = new Configuration();
        server.s3aSettings().forEach(conf::set);
        conf.set("fs.s3a.endpoint", endpoint);
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        conf.setInt("fs.s3a.paging.maximum", PAGE);
        conf.setBoolean("fs.s3a.create.performance", true);
        return conf;
    }
}
