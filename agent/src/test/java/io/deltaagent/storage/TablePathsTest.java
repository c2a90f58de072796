package io.deltaagent.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.discover.TableDiscovery;
import io.deltaagent.testing.StandaloneTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One name per table however it is spelled, and discovery that finds each table once, symlink loops included. */
class TablePathsTest {

    @TempDir
    Path tmp;

    @Test
    void everyLocalSpellingOfOneTableIsOneName() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("lake/orders")).toRealPath();
        Path link = Files.createSymbolicLink(tmp.resolve("orders-link"), real);
        Path cwd = Paths.get("").toAbsolutePath();
        String relative = cwd.relativize(real).toString();

        assertThat(java.util.List.of(real.toString(), real + "/", real + "//", tmp.resolve("lake/./x/../orders").toString(),
                "file:" + real, "file://" + real, "file:" + real + "/", link.toString(), link + "/", "file:" + link, relative,
                "./" + relative)).allSatisfy(spelling ->
                assertThat(TablePaths.canonical(spelling)).as(spelling).isEqualTo(real.toString()));
        assertThat(TablePaths.same(link.toString(), "file://" + real + "/")).isTrue();
    }

    @Test
    void aPathThatDoesNotExistYetKeepsItsSpellingBelowTheLastRealDirectory() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("lake")).toRealPath();
        Files.createSymbolicLink(tmp.resolve("lake-link"), real);

        assertThat(TablePaths.canonical(tmp.resolve("lake-link/new/table/").toString()))
                .isEqualTo(real.resolve("new/table").toString());
    }

    @Test
    void objectStoreUrisAreNormalizedButKeepTheirScheme() {
        assertThat(TablePaths.canonical("s3a://lake/a/./b//events/")).isEqualTo("s3a://lake/a/b/events");
        assertThat(TablePaths.canonical("S3A://lake/raw/../events")).isEqualTo("s3a://lake/events");
        assertThat(TablePaths.canonical("abfss://c@acct.dfs.core.windows.net/t")).isEqualTo("abfss://c@acct.dfs.core.windows.net/t");
        assertThat(TablePaths.canonical("s3://lake/events")).as("another scheme is another name: the table id cross-check "
                + "catches those").isNotEqualTo(TablePaths.canonical("s3a://lake/events"));
    }

    @Test
    void everyS3SchemeAndGcsAndAbfsAreNormalizedAlike() {
        for (String scheme : java.util.List.of("s3a", "s3", "s3n", "gs", "abfss", "abfs")) {
            String bucket = scheme.startsWith("abfs") ? "c@acct.dfs.core.windows.net" : "lake";
            assertThat(TablePaths.canonical(scheme.toUpperCase(java.util.Locale.ROOT) + "://" + bucket + "/raw/./x/../events//"))
                    .as(scheme).isEqualTo(scheme + "://" + bucket + "/raw/events");
            assertThatThrownBy(() -> TablePaths.canonical(scheme + ":relative/t")).as(scheme).hasMessageContaining("needs a bucket");
        }
    }

    @Test
    void aSchemeTheAgentCannotReadIsRefusedNamingTheOnesItCan() {
        assertThatThrownBy(() -> TablePaths.canonical("wasbs://c@acct.blob.core.windows.net/t"))
                .hasMessageStartingWith("wasbs:// is not supported: ")
                .hasMessageContaining("abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH")
                .hasMessageContaining("file:, s3a://, s3://, s3n://, gs://, abfss://, abfs://, hdfs://");
        assertThatThrownBy(() -> TablePaths.canonical("oss://bucket/t")).hasMessageStartingWith("oss:// is not supported: ")
                .hasMessageContaining("gs://");
        assertThatThrownBy(() -> TableLocation.of("dbfs:/mnt/lake/t")).hasMessageStartingWith("dbfs:// is not supported: ")
                .hasMessageContaining("cloud storage location");
    }

    @Test
    void badPathsSayWhatIsWrong() {
        assertThatThrownBy(() -> TablePaths.canonical("  ")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> TablePaths.canonical("s3a:relative/t")).hasMessageContaining("needs a bucket or host");
        assertThatThrownBy(() -> TablePaths.canonical("s3a://lake/a b|c")).hasMessageContaining("not a valid table URI");
    }

    @Test
    void discoveryOverASymlinkLoopEndsAndFindsEachTableOnce() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        StandaloneTables.write(Files.createDirectories(root.resolve("a/orders")), 1, 1, 100, 0, 0);
        StandaloneTables.write(Files.createDirectories(root.resolve("b/events")), 1, 1, 100, 0, 0);
        Files.createSymbolicLink(root.resolve("a/loop"), root);           // root/a/loop/a/loop/... forever
        Files.createSymbolicLink(root.resolve("b/orders-again"), root.resolve("a/orders"));

        var found = new TableDiscovery(new Configuration(), 12).discover(tmp.resolve("root").toString());

        assertThat(found).containsExactly(root.resolve("a/orders").toString(), root.resolve("b/events").toString());
    }
}
