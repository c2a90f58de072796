package io.deltaagent.jobs.request;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a maintenance job (docs/JOB-RESULT.md): the one encoding of a {@link JobRequest} the agent
 * submits and the jobs parse. The jobs' parser is tested against it (every request read back equal), so the two sides
 * cannot drift apart. {@code --result} and the retry options are the submitter's to add.
 */
public final class JobCommandLine {

    /** What the job puts before the run tag in commitInfo.userMetadata. */
    public static final String TAG_PREFIX = "delta-agent:";

    private JobCommandLine() {
    }

    /**
     * The action and its arguments for {@code request}, then {@code --run-tag runTag} when {@code runTag} is not null:
     * every commit of the job then carries commitInfo.userMetadata {@code delta-agent:<runTag>}.
     */
    public static List<String> arguments(JobRequest request, String runTag) {
        List<String> args = new ArrayList<>();
        args.add(request.action());
        args.add("--table");
        args.add(request.table());
        if (request instanceof OptimizeRequest optimize) {
            optimize(optimize, args);
        } else if (request instanceof VacuumRequest vacuum) {
            args.add("--retain");
            args.add(vacuum.retentionText());
            if (vacuum.dryRun()) {
                args.add("--dry-run");
            }
            if (vacuum.allowBelowFloor()) {
                args.add("--unsafe-allow-retention-below-floor");
            }
        }
        // a checkpoint needs the table only
        if (runTag != null) {
            args.add("--run-tag");
            args.add(runTag);
        }
        return List.copyOf(args);
    }

    private static void optimize(OptimizeRequest optimize, List<String> args) {
        if (optimize.where() != null) {
            args.add("--where");
            args.add(optimize.where());
        }
        if (optimize.zOrder()) {
            args.add("--zorder-by");
            args.add(String.join(",", optimize.zOrderBy()));
        }
        OptimizeRequest.FileSizes sizes = optimize.sizes();
        if (sizes != null) {
            option(args, "--min-file-size", sizes.minFileSize());
            option(args, "--max-file-size", sizes.maxFileSize());
            option(args, "--max-bytes-per-commit", sizes.maxBytesPerCommit());
        }
    }

    private static void option(List<String> args, String name, Long value) {
        if (value != null) {
            args.add(name);
            args.add(Long.toString(value));
        }
    }
}
