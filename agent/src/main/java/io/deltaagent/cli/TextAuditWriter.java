package io.deltaagent.cli;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.ByteSize;
import io.deltaagent.config.Durations;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.HistoryEvent;
import io.deltaagent.health.LogStats;
import io.deltaagent.health.PartitionStat;
import io.deltaagent.health.ReadCost;
import io.deltaagent.health.SizeBucket;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.Breach;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The audit for people: one aligned row per table, then breaches and errors, then details when asked. */
final class TextAuditWriter {

    private static final String[] HEADER = {"TABLE", "STATUS", "VERSION", "FILES", "SMALL", "AVG SIZE", "TOTAL",
            "COMMITS>CP", "LOG OBJ", "LOG READ"};

    void write(AuditReport report, boolean details, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (AuditOutcome o : report.outcomes()) {
            TableHealth h = o.health();
            if (h == null) {
                rows.add(new String[] {report.label(o.table()), o.status().name(), "-", "-", "-", "-", "-", "-", "-", "-"});
                continue;
            }
            rows.add(new String[] {report.label(o.table()), o.status().name(), String.valueOf(h.identity().version()),
                    String.valueOf(h.files().activeFiles()), String.valueOf(h.files().smallFiles()),
                    ByteSize.format(h.files().averageBytes()), ByteSize.format(h.files().totalBytes()),
                    String.valueOf(h.log().commitsSinceCheckpoint()), String.valueOf(h.log().objects()),
                    Durations.humanMillis(h.readCost().snapshotMillis())});
        }
        printAligned(rows, out);

        boolean anyBreach = report.outcomes().stream().anyMatch(o -> !o.breaches().isEmpty());
        if (anyBreach) {
            out.println();
            out.println("Maintenance due:");
            for (AuditOutcome o : report.outcomes()) {
                for (Breach b : o.breaches()) {
                    out.printf("  %s: %s -> %s: %s (measured %d %s, limit %d)%n", o.table(), b.threshold(), b.action(),
                            b.detail(), b.measured(), b.unit(), b.limit());
                }
            }
        }
        if (report.count(AuditOutcome.Status.ERROR) > 0) {
            out.println();
            out.println("Could not audit:");
            for (AuditOutcome o : report.outcomes()) {
                if (o.error() != null) {
                    out.println("  " + o.error().getMessage() + " [" + o.error().kind() + "]");
                }
            }
        }
        if (details) {
            for (AuditOutcome o : report.outcomes()) {
                if (o.health() != null) {
                    out.println();
                    detail(o.health(), out);
                }
            }
        }
        out.println();
        out.printf("%d tables: %d healthy, %d maintenance due, %d could not be read (%s)%n", report.outcomes().size(),
                report.count(AuditOutcome.Status.HEALTHY), report.count(AuditOutcome.Status.MAINTENANCE_DUE),
                report.count(AuditOutcome.Status.ERROR), Durations.humanMillis(report.durationMs()));
    }

    private static void detail(TableHealth h, PrintStream out) {
        FileStats f = h.files();
        LogStats l = h.log();
        ReadCost c = h.readCost();
        out.println(h.table() + " (reader: " + h.reader() + ")");
        out.printf("  location        %s%n", h.identity().location());
        out.printf("  protocol        reader %d%s, writer %d%s%n", h.identity().minReaderVersion(),
                features(h.identity().readerFeatures()), h.identity().minWriterVersion(), features(h.identity().writerFeatures()));
        out.printf("  partitioned by  %s%n", h.identity().partitionColumns().isEmpty() ? "(none)"
                : String.join(", ", h.identity().partitionColumns()));
        if (h.identity().clustered()) {
            out.printf("  clustered by    %s (liquid clustering: OPTIMIZE clusters, ZORDER is refused)%n",
                    String.join(", ", h.identity().clusteringColumns()));
        }
        if (h.identity().catalogManaged() != null) {
            var managed = h.identity().catalogManaged();
            if (managed.catalogVersion() != null) {
                out.printf("  catalog-managed %s: figures as of the catalog's latest version %d (%d ratified staged commit(s) "
                                + "read, published up to version %d); maintained only through its catalog%n",
                        managed.feature(), managed.catalogVersion(), managed.stagedCommitsRead(), managed.publishedVersion());
            } else {
                out.printf("  catalog-managed %s: figures as of published version %d%s; maintained only through its catalog%n",
                        managed.feature(), managed.publishedVersion(), managed.stagedCommitFiles() == 0 ? ""
                                : " (" + managed.stagedCommitFiles() + " staged commit file(s) in _delta_log/_staged_commits not read)");
            }
            if (managed.catalogNote() != null) {
                out.printf("  catalog note    %s%n", managed.catalogNote());
            }
        }
        h.identity().properties().forEach((k, v) -> out.printf("  property        %s=%s%n", k, v));
        out.printf("  files           %d active, %s total, average %s, median %s%n", f.activeFiles(),
                ByteSize.format(f.totalBytes()), ByteSize.format(f.averageBytes()), ByteSize.format(f.medianBytes()));
        out.printf("  small files     %d below %s (%s)%n", f.smallFiles(), ByteSize.format(f.smallFileThresholdBytes()),
                ByteSize.format(f.smallFileBytes()));
        out.println("  size histogram");
        for (SizeBucket b : f.histogram()) {
            if (b.files() > 0) {
                String range = b.upperBytes() < 0 ? ">= " + ByteSize.format(b.lowerBytes())
                        : ByteSize.format(b.lowerBytes()) + " - " + ByteSize.format(b.upperBytes());
                out.printf("    %-22s %8d files  %s%n", range, b.files(), ByteSize.format(b.bytes()));
            }
        }
        if (!f.worstPartitions().isEmpty()) {
            out.printf("  partitions      %d, %d with many small files; worst:%n", f.partitions(), f.partitionsWithSmallFiles());
            for (PartitionStat p : f.worstPartitions()) {
                out.printf("    %-40s %6d small of %6d files%n", p.partition(), p.smallFiles(), p.files());
            }
        }
        out.printf("  checkpoint      %s%n", l.lastCheckpointVersion() == null ? "none"
                : "version " + l.lastCheckpointVersion() + ", " + l.lastCheckpointParts() + " part(s), "
                        + (l.lastCheckpointSidecars() > 0 ? l.lastCheckpointSidecars() + " sidecar(s), " : "")
                        + ByteSize.format(l.lastCheckpointBytes()) + ", written " + l.lastCheckpointTime());
        out.printf("  log             %d commits since checkpoint; %d objects (%s) in _delta_log, %d commit files%n",
                l.commitsSinceCheckpoint(), l.objects(), ByteSize.format(l.bytes()), l.commitFiles());
        out.printf("  log read        snapshot %s, file scan %s, audit %s%s%n", Durations.humanMillis(c.snapshotMillis()),
                Durations.humanMillis(c.scanMillis()), Durations.humanMillis(c.auditMillis()),
                (c.libraryLoadMillis() == null ? "" : " (Kernel's own timing " + Durations.humanMillis(c.libraryLoadMillis()) + ")")
                        + (c.listRequests() == null ? "" : "; snapshot requests: " + c.listRequests() + " LIST, "
                        + c.getRequests() + " GET, " + c.headRequests() + " HEAD"));
        io.deltaagent.health.StorageRequests r = c.requests();
        if (r != null && r.list() != null) {
            out.printf("  requests        %d LIST, %d GET, %d HEAD, %s read (the whole audit)%n", r.list(), r.get(), r.head(),
                    ByteSize.format(r.bytesRead() == null ? 0 : r.bytesRead()));
        }
        out.printf("  last 24 h       %d commits, %d files added%s%n", h.activity().commitsLast24h(),
                h.activity().filesAddedLast24h(), h.activity().historyComplete() ? "" : " (in the newest "
                        + h.activity().commitsRead() + " commits read)");
        out.printf("  last OPTIMIZE   %s%n", event(h.activity().lastOptimize(), h.activity().commitsRead()));
        out.printf("  last VACUUM     %s%n", event(h.activity().lastVacuum(), h.activity().commitsRead()));
        out.printf("  tombstones      %d removed files still tracked (%s); %d (%s) older than the retention of %s can be vacuumed%n",
                h.tombstones().count(), ByteSize.format(h.tombstones().bytes()), h.tombstones().vacuumableCount(),
                ByteSize.format(h.tombstones().vacuumableBytes()), h.tombstones().retention());
        if (h.deletionVectors() != null) {
            out.printf("  deletion vecs   %d files (%.0f%%) carry deletion vectors, %d deleted rows, %s of vectors%n",
                    h.deletionVectors().filesWithDeletionVectors(), h.deletionVectors().fileShare() * 100,
                    h.deletionVectors().deletedRows(), ByteSize.format(h.deletionVectors().vectorBytes()));
        }
    }

    private static String features(List<String> features) {
        return features.isEmpty() ? "" : " " + features;
    }

    private static String event(HistoryEvent e, long read) {
        return e == null ? "none in the newest " + read + " commits" : "version " + e.version() + " at " + e.timestamp();
    }

    private static void printAligned(List<String[]> rows, PrintStream out) {
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                boolean numeric = i >= 2;
                String cell = numeric ? " ".repeat(width[i] - r[i].length()) + r[i]
                        : r[i] + " ".repeat(width[i] - r[i].length());
                line.append(cell).append(i + 1 < r.length ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
