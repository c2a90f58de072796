package io.deltaagent.jobs.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Delta table features one jobs runtime can read and write: generated at build time from delta-spark's own
 * {@code TableFeature.allSupportedFeaturesMap} and carried in the jobs jar as {@value #RESOURCE}, so no list is kept
 * by hand. A table whose protocol names a feature missing here cannot be maintained by that runtime.
 *
 * @param runtime the agent's name for the runtime: {@code 3.5} or {@code 4}
 * @param sparkVersion the Spark version the jar was built against, e.g. {@code 4.2.0}
 * @param deltaVersion the delta-spark version, e.g. {@code 4.4.0}
 * @param features every feature delta-spark supports, sorted by name
 */
public record RuntimeFeatures(String runtime, String sparkVersion, String deltaVersion, List<Feature> features) {
    /** Where the jobs jar (and its build's classes directory) carries the file. */
    public static final String RESOURCE = "io/deltaagent/jobs/delta-features.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RuntimeFeatures {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(sparkVersion, "sparkVersion");
        Objects.requireNonNull(deltaVersion, "deltaVersion");
        features = List.copyOf(features);
    }

    /**
     * One table feature as the protocol names it.
     *
     * @param name the protocol name, e.g. {@code deletionVectors}
     * @param readerWriter true for a reader-writer feature (listed in {@code readerFeatures} too)
     * @param legacy true for a feature that protocol versions before table features imply (writer 7 / reader 3)
     */
    public record Feature(String name, boolean readerWriter, boolean legacy, int minReaderVersion, int minWriterVersion) {
        public Feature {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Whether this runtime's delta-spark can write a table whose protocol names {@code feature}. */
    public boolean supports(String feature) {
        return find(feature).isPresent();
    }

    public Optional<Feature> find(String feature) {
        return features.stream().filter(f -> f.name().equals(feature)).findFirst();
    }

    /** The feature names in {@code protocolFeatures} this runtime does not know, in their order. */
    public List<String> unsupported(List<String> protocolFeatures) {
        return protocolFeatures.stream().filter(name -> !supports(name)).toList();
    }

    public static RuntimeFeatures read(InputStream json) throws IOException {
        return JSON.readValue(json, RuntimeFeatures.class);
    }

    /** Reads the file from a jobs jar, or from a build's {@code classes} directory. */
    public static RuntimeFeatures from(Path jarOrClasses) {
        try {
            if (Files.isDirectory(jarOrClasses)) {
                try (InputStream in = Files.newInputStream(jarOrClasses.resolve(RESOURCE))) {
                    return read(in);
                }
            }
            try (FileSystem jar = FileSystems.newFileSystem(URI.create("jar:" + jarOrClasses.toUri()), Map.of());
                    InputStream in = Files.newInputStream(jar.getPath(RESOURCE))) {
                return read(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(jarOrClasses + ": cannot read " + RESOURCE + " (built by the spark-jobs modules)", e);
        }
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the runtime features", e);
        }
    }
}
