package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.segment.Checkpoint;
import io.deltaagent.deltalog.segment.CommitFile;
import io.deltaagent.deltalog.segment.LogListing;
import io.deltaagent.deltalog.segment.LogObjects;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.features.TableFeatures;
import io.deltaagent.health.CatalogManaged;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How a catalog-managed table is read (PROTOCOL.md's catalogManaged section). By path, a reader without the catalog reads
 * the published versions only: the figures are those of the newest published commit, and staged commits are counted,
 * never replayed (only the catalog knows which of them were ratified). With the catalog's ratified commits, the table is
 * read as of the catalog's latest version: published versions newer than it are ignored, and each ratified version not
 * published is read from the staged file the catalog names (and no other).
 */
final class CatalogManagedRead {

    private CatalogManagedRead() {
    }

    /** The catalog-managed feature of this protocol, or null when the table is not catalog-managed. */
    static String feature(ProtocolInfo protocol) {
        String feature = TableFeatures.catalogManaged(protocol.readerFeatures());
        return feature != null ? feature : TableFeatures.catalogManaged(protocol.writerFeatures());
    }

    /** @return null when the protocol does not make the table catalog-managed */
    static CatalogManaged of(ProtocolInfo protocol, long publishedVersion, long stagedCommitFiles) {
        String feature = feature(protocol);
        return feature == null ? null : new CatalogManaged(feature, publishedVersion, stagedCommitFiles);
    }

    /**
     * The listing as of the catalog's latest version: the published commits and checkpoints up to it, and the ratified
     * staged commits for the versions not published. The log's objects and bytes are unchanged (the shape on disk).
     *
     * @param logDir the {@code _delta_log} directory as the store names it (a full URI)
     * @throws IllegalStateException when the catalog's answer and the files disagree (a named staged file is absent, or a
     *                               version up to the catalog's latest is neither published nor ratified)
     */
    static View asOfCatalog(LogListing listing, RatifiedCommits ratified, String logDir) {
        long latest = ratified.latestTableVersion();
        if (latest < 0) {
            throw new IllegalStateException("the catalog tracks no commit of the table yet (latest_table_version "
                    + latest + ")");
        }
        Map<String, Long> staged = listing.entries().stream()
                .filter(o -> o.key().startsWith(LogListing.STAGED_COMMITS))
                .collect(Collectors.toMap(o -> o.key().substring(LogListing.STAGED_COMMITS.length()),
                        LogObjects.LogObject::length, (a, b) -> a));
        Map<String, Long> modified = listing.entries().stream()
                .filter(o -> o.key().startsWith(LogListing.STAGED_COMMITS))
                .collect(Collectors.toMap(o -> o.key().substring(LogListing.STAGED_COMMITS.length()),
                        LogObjects.LogObject::modified, (a, b) -> a));
        TreeMap<Long, CommitFile> commits = new TreeMap<>();
        listing.commits().stream().filter(c -> c.version() <= latest).forEach(c -> commits.put(c.version(), c));
        long publishedVersion = commits.isEmpty() ? -1 : commits.lastKey();
        int read = 0;
        for (RatifiedCommits.Commit c : ratified.commits()) {
            if (c.version() > latest || commits.containsKey(c.version())) {
                continue; // a published copy is the same commit (publishing copies the ratified file)
            }
            Long length = staged.get(c.fileName());
            if (length == null) {
                throw new IllegalStateException("the catalog names staged commit " + c.fileName() + " (version " + c.version()
                        + "), which is not in _delta_log/" + LogListing.STAGED_COMMITS);
            }
            commits.put(c.version(), new CommitFile(c.version(),
                    LogPaths.child(logDir, LogListing.STAGED_COMMITS + c.fileName()), length, modified.get(c.fileName())));
            read++;
        }
        if (commits.isEmpty() || commits.lastKey() != latest) {
            throw new IllegalStateException("the catalog's latest version " + latest + " is neither published nor among the "
                    + "ratified commits it lists");
        }
        List<Checkpoint> checkpoints = listing.checkpoints().stream().filter(c -> c.version() <= latest).toList();
        // a hint naming a checkpoint past the catalog's version would be taken for a missing checkpoint: dropped with it
        LogListing view = new LogListing(listing.objects(), listing.bytes(), new ArrayList<>(commits.values()), checkpoints,
                listing.hasLastCheckpointHint() && checkpoints.size() == listing.checkpoints().size(), listing.entries());
        return new View(view, latest, publishedVersion, read);
    }

    /** A listing as of the catalog's latest version, and what it took. */
    record View(LogListing listing, long catalogVersion, long publishedVersion, int stagedCommitsRead) {
    }
}
