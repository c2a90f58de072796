package io.deltaagent.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job runtime (the Spark and delta-spark the maintenance jobs run with) and the table features it supports: the
 * single source of truth the planner checks a table's writer features against before any job is submitted.
 *
 * <p>Each runtime's features are a resource {@code io/deltaagent/features/runtime-<id>.features} (one name a line,
 * {@code #} comments): 3.5's ships here and is checked against delta-spark 3.3 by spark-jobs' tests; runtime 4's is the
 * resource the Spark 4 jobs artifact generates. A runtime whose resource is missing supports no feature list at all,
 * so a table with named writer features is refused on it rather than guessed at.
 *
 * @param id          the runtime's name in config ({@code 3.5}, {@code 4})
 * @param description what it runs, for messages
 * @param features    the features it reads and writes; empty when unknown to this build
 * @param known       whether this build has the runtime's feature list
 */
public record JobRuntime(String id, String description, Set<String> features, boolean known) {

    /** The runtime every backend uses until backends name theirs (h25spark4's {@code spark-runtime}). */
    public static final JobRuntime SPARK_3_5 = load("3.5", "Spark 3.5 with delta-spark 3.3");
    /** The Spark 4 runtime: its feature list comes with the Spark 4 jobs artifact's generated resource. */
    public static final JobRuntime SPARK_4 = load("4", "Spark 4 with delta-spark 4");

    public JobRuntime {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        features = Set.copyOf(features);
    }

    public static List<JobRuntime> all() {
        return List.of(SPARK_3_5, SPARK_4);
    }

    /** The runtime named in config; empty for a name no runtime has. */
    public static Optional<JobRuntime> named(String id) {
        return all().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The runtime's feature list resource (relative to this class). */
    static String resource(String id) {
        return "runtime-" + id + ".features";
    }

    static JobRuntime load(String id, String description) {
        try (InputStream in = JobRuntime.class.getResourceAsStream(resource(id))) {
            if (in == null) {
                return new JobRuntime(id, description, Set.of(), false);
            }
            return new JobRuntime(id, description, parse(in), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the feature list of job runtime " + id, e);
        }
    }

    static Set<String> parse(InputStream in) throws IOException {
        Set<String> out = new TreeSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                out.add(name);
            }
        }
        return out;
    }

    /** The table's writer features this runtime does not support, in the table's order; empty when it supports all. */
    public List<String> unsupported(List<String> writerFeatures) {
        return writerFeatures.stream().filter(f -> !features.contains(f)).toList();
    }

    /** For messages: {@code job runtime 3.5 (Spark 3.5 with delta-spark 3.3)}. */
    public String display() {
        return "job runtime " + id + " (" + description + ")";
    }
}
