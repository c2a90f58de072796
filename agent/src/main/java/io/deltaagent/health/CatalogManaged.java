package io.deltaagent.health;

import java.util.Objects;

/**
 * A catalog-managed table as read by path: its catalog owns the commits, so the figures are those of the newest
 * published version, and ratified commits the catalog has not published yet are not in them.
 *
 * @param feature           the protocol feature that makes it so ({@code catalogManaged} or {@code catalogOwned-preview})
 * @param publishedVersion  the newest published version, the one the figures are of
 * @param stagedCommitFiles files in {@code _delta_log/_staged_commits/}: commits written but maybe not ratified, and
 *                          not read by path (only the catalog says which of them count)
 */
public record CatalogManaged(String feature, long publishedVersion, long stagedCommitFiles) {
    public CatalogManaged {
        Objects.requireNonNull(feature, "feature");
    }
}
