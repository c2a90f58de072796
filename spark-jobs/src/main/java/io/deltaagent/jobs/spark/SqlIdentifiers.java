package io.deltaagent.jobs.spark;

/** Builds SQL identifiers that name a table by path. */
public final class SqlIdentifiers {
    private SqlIdentifiers() {
    }

    /** {@code delta.`<path>`} with backticks in the path doubled, as Spark's parser expects. */
    public static String deltaPath(String location) {
        return "delta.`" + location.replace("`", "``") + "`";
    }
}
