package io.deltaagent.submit;

import io.deltaagent.policy.MaintenanceAction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One maintenance job for the spark-jobs application: the action and its arguments.
 *
 * @param where partition predicate for OPTIMIZE, or null
 * @param vacuumRetention for VACUUM, or null
 * @param bytesToRewrite what the job will rewrite; backends size their cluster from it
 */
public record JobSpec(String table, MaintenanceAction action, String where, List<String> zorderBy,
                      Duration vacuumRetention, long bytesToRewrite) {

    public JobSpec {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        zorderBy = List.copyOf(zorderBy);
        if (action == MaintenanceAction.VACUUM && vacuumRetention == null) {
            throw new IllegalArgumentException(table + ": a VACUUM job needs a retention");
        }
    }

    /** The spark-jobs command line (docs/JOB-RESULT.md): action and arguments, without --result. */
    public List<String> jobArguments() {
        List<String> args = new java.util.ArrayList<>();
        switch (action) {
            case OPTIMIZE, OPTIMIZE_ZORDER -> {
                args.add("optimize");
                args.add("--table");
                args.add(table);
                if (where != null) {
                    args.add("--where");
                    args.add(where);
                }
                if (!zorderBy.isEmpty()) {
                    args.add("--zorder-by");
                    args.add(String.join(",", zorderBy));
                }
            }
            case CHECKPOINT -> {
                args.add("checkpoint");
                args.add("--table");
                args.add(table);
            }
            case VACUUM -> {
                args.add("vacuum");
                args.add("--table");
                args.add(table);
                args.add("--retain");
                args.add(vacuumRetention.toHours() + "h");
            }
            default -> throw new IllegalStateException("unknown action " + action);
        }
        return args;
    }
}
