package io.deltaagent.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@code delta-features.json} the build wrote into this module's classes (and so its jar) is what the delta-spark on
 * the classpath supports, for the runtime it names: the agent's planner trusts it to refuse tables a runtime cannot
 * write. Runs in both jobs modules.
 */
class DeltaFeaturesFileTest {

    @Test
    void theBuiltFileListsWhatThisDeltaSparkSupports() {
        RuntimeFeatures built = RuntimeFeatures.from(Path.of("target", "classes"));

        RuntimeFeatures live = PrintFeatures.current(built.runtime());
        assertThat(built.sparkVersion()).isEqualTo(live.sparkVersion());
        assertThat(built.deltaVersion()).isEqualTo(live.deltaVersion());
        // every listed feature is delta-spark's, with its attributes; once a Spark session ran in this JVM, delta-spark 4
        // may add its testing-only features to the live map, which the build (no session) rightly leaves out
        assertThat(live.features()).containsAll(built.features());
        assertThat(built.runtime()).isEqualTo(built.sparkVersion().startsWith("4.") ? "4" : "3.5");
        assertThat(built.supports("deletionVectors")).isTrue();
        assertThat(built.find("deletionVectors")).hasValueSatisfying(f -> assertThat(f.readerWriter()).isTrue());
        assertThat(built.supports("no-such-feature")).isFalse();
        // the Delta 4 feature that separates the two runtimes (the variant fixture's)
        assertThat(built.supports("variantType")).isEqualTo(built.runtime().equals("4"));
    }

    /** The agent plans against its own copy of each runtime's list (agent/src/main/resources/...): it is this jar's. */
    @Test
    void theAgentsListOfThisRuntimeIsTheBuiltOne() throws IOException {
        RuntimeFeatures built = RuntimeFeatures.from(Path.of("target", "classes"));
        Path repo = Path.of("").toAbsolutePath();
        while (repo != null && !Files.isDirectory(repo.resolve("agent/src/main/resources"))) {
            repo = repo.getParent();
        }
        assertThat(repo).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        Path list = repo.resolve("agent/src/main/resources/io/deltaagent/features/runtime-" + built.runtime() + ".features");
        Set<String> agent = Files.readAllLines(list).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        Set<String> jar = built.features().stream().map(RuntimeFeatures.Feature::name).collect(Collectors.toSet());
        assertThat(agent).as(list + " must list exactly the features of runtime " + built.runtime() + "'s jobs jar").isEqualTo(jar);
    }
}
