package io.deltaagent.jobs.runtime;

import io.deltaagent.jobs.runtime.RuntimeFeatures.Feature;
import io.deltaagent.jobs.spark.Scala;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.delta.TableFeature;

/**
 * Writes {@link RuntimeFeatures#RESOURCE} for the delta-spark on the classpath; run by the build (exec-maven-plugin,
 * process-classes) of each jobs module so the jar states what its runtime supports without a hand-kept list.
 * Arguments: the runtime name ({@code 3.5} or {@code 4}) and the file to write.
 */
public final class PrintFeatures {
    private PrintFeatures() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PrintFeatures RUNTIME OUTPUT_FILE");
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, current(args[0]).toJson() + "\n");
    }

    public static RuntimeFeatures current(String runtime) {
        List<Feature> features = Scala.map(TableFeature.allSupportedFeaturesMap()).values().stream()
                .map(f -> new Feature(f.name(), f.isReaderWriterFeature(), f.isLegacyFeature(), f.minReaderVersion(),
                        f.minWriterVersion()))
                .sorted(Comparator.comparing(Feature::name))
                .toList();
        return new RuntimeFeatures(runtime, org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                io.delta.package$.MODULE$.VERSION(), features);
    }
}
