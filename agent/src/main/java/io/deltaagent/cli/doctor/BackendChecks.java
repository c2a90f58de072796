package io.deltaagent.cli.doctor;

import io.deltaagent.submit.JobSubmitter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Each backend the config uses or sets up, built as maintain builds it: its settings valid, its credentials present in the
 * environment (named, never printed), and for the local backend the jobs jar and its Spark runtime found.
 */
public final class BackendChecks {

    private final Function<String, JobSubmitter> backends;
    private final Bounded bounded;

    /** @param backends builds a backend by name, failing with the setting at fault (as {@code Backends#apply}) */
    public BackendChecks(Function<String, JobSubmitter> backends, Bounded bounded) {
        this.backends = backends;
        this.bounded = bounded;
    }

    public List<Check> check(Collection<String> names) {
        List<Check> checks = new ArrayList<>();
        for (String backend : names) {
            String name = "backend " + backend;
            checks.add(bounded.run(name, "building the backend took over " + bounded.timeout().toSeconds() + " s: check its "
                    + "endpoint and the network", () -> build(name, backend)));
        }
        return checks;
    }

    private Check build(String name, String backend) {
        try {
            JobSubmitter submitter = backends.apply(backend);
            return Check.ok(name, backend.equals("local") ? "ready: the jobs jar and its Spark runtime found"
                    : "ready: settings valid, credentials present (" + submitter.backend() + ")");
        } catch (RuntimeException e) {
            return Check.fail(name, e.getMessage(), "set what the message names (backends." + backend + " in the config, or the "
                    + "environment; docs/BACKENDS.md)" + (backend.equals("local") ? "; for the local backend build the "
                    + "spark-jobs module (mvn -B -DskipTests package) or pass --spark-jobs-dir" : ""));
        }
    }
}
