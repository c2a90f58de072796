package io.deltaagent.health;

import java.util.Objects;

/**
 * A catalog-managed table as the audit read it: its catalog owns the commits. Read by path, the figures are those of
 * the newest published version; read through a Unity Catalog that lists its ratified commits, they are those of the
 * catalog's latest version, with the staged commits it named read in (PROTOCOL.md's catalogManaged section).
 *
 * @param feature           the protocol feature that makes it so ({@code catalogManaged} or {@code catalogOwned-preview})
 * @param publishedVersion  the newest published version read (at most the catalog's latest when one was asked)
 * @param stagedCommitFiles files in {@code _delta_log/_staged_commits/}: commits written but maybe not ratified
 * @param catalogVersion    the catalog's latest version, the one the figures are of; null when no catalog was asked or
 *                          it did not answer (the figures are then of {@code publishedVersion})
 * @param stagedCommitsRead the staged commit files the catalog named as ratified and the audit read
 * @param catalogNote       why a catalog that was asked gave no ratified commits (figures as of the published version),
 *                          else null
 */
public record CatalogManaged(String feature, long publishedVersion, long stagedCommitFiles, Long catalogVersion,
                             long stagedCommitsRead, String catalogNote) {
    public CatalogManaged {
        Objects.requireNonNull(feature, "feature");
    }

    /** Read by path only: no catalog asked. */
    public CatalogManaged(String feature, long publishedVersion, long stagedCommitFiles) {
        this(feature, publishedVersion, stagedCommitFiles, null, 0, null);
    }
}
