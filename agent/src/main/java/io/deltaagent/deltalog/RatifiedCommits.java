package io.deltaagent.deltalog;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a Unity Catalog says of a catalog-managed table's commits ({@code GET /delta/preview/commits}, DeltaGetCommits
 * and DeltaGetCommitsResponse of UC OSS's {@code api/all.yaml}): the ratified commits not yet published to the log, and
 * the latest version it tracks. Per PROTOCOL.md's catalogManaged section a reader takes the table as of
 * {@code latestTableVersion}: published versions newer than it are ignored, and the named staged files are read.
 *
 * @param latestTableVersion the catalog's latest version of the table, -1 when no commit went through it yet
 * @param commits            the unpublished ratified commits, by version
 */
public record RatifiedCommits(long latestTableVersion, List<Commit> commits) {

    public RatifiedCommits {
        commits = commits.stream().sorted(Comparator.comparingLong(Commit::version)).toList();
    }

    /**
     * One ratified commit (DeltaCommitInfo).
     *
     * @param fileName the staged commit file's name in {@code _delta_log/_staged_commits/}
     */
    public record Commit(long version, long timestamp, String fileName, long fileSize) {
        public Commit {
            Objects.requireNonNull(fileName, "fileName");
            if (fileName.contains("/") || fileName.contains("\\")) {
                // the spec names a file in _staged_commits/, never a path: anything else is not read
                throw new IllegalArgumentException("file_name " + fileName + " is not a plain file name");
            }
        }
    }
}
