package io.deltaagent.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.deltalog.KernelSnapshots;
import io.deltaagent.deltalog.ProjectedSnapshots;
import io.deltaagent.deltalog.storage.HadoopStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** docs/FEATURES.md's table is what the agent's registry, readers and job runtimes say (issue 25). */
@Tag("fast")
class FeatureSupportTableTest {

    static String generated() {
        Set<String> auditReads = new HashSet<>(new ProjectedSnapshots().readerFeatures());
        auditReads.addAll(new KernelSnapshots(new HadoopStorage(new Configuration())).readerFeatures());
        return FeatureSupportTable.render(auditReads, JobRuntime.all());
    }

    @Test
    void theDocsTableIsTheGeneratedOne() throws Exception {
        Path doc = repoRoot().resolve("docs/FEATURES.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(FeatureSupportTable.BEGIN);
        int end = text.indexOf(FeatureSupportTable.END);
        assertThat(begin).as(doc + " holds the generated table").isNotNegative();
        String inDoc = text.substring(begin, end + FeatureSupportTable.END.length() + 1);
        if (Boolean.getBoolean("deltaagent.docs.update")) { // -Ddeltaagent.docs.update=true rewrites the doc's table
            Files.writeString(doc, text.replace(inDoc, generated()));
            return;
        }
        assertThat(inDoc).as("docs/FEATURES.md is out of date: replace its table with FeatureSupportTable's output")
                .isEqualTo(generated());
    }

    @Test
    void everyFeatureARuntimeSupportsIsInTheRegistry() {
        Set<String> known = new HashSet<>();
        TableFeatures.all().forEach(f -> known.add(f.name()));
        for (JobRuntime r : JobRuntime.all()) {
            assertThat(known).as("features of " + r.display() + " missing from TableFeatures").containsAll(r.features());
        }
        assertThat(JobRuntime.SPARK_3_5.known()).isTrue();
        assertThat(JobRuntime.SPARK_3_5.features()).contains("deletionVectors", "vacuumProtocolCheck", "inCommitTimestamp")
                .doesNotContain("catalogManaged", "variantType");
        assertThat(JobRuntime.SPARK_4.known()).isTrue();
        assertThat(JobRuntime.SPARK_4.features()).contains("variantType", "materializePartitionColumns", "deletionVectors");
    }

    private static Path repoRoot() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
