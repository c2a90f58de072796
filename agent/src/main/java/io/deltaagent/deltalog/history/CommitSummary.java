package io.deltaagent.deltalog.history;

import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.actions.TableMetadata;

/**
 * What the history needs of one commit: its commitInfo timestamp and operation, and how many files it added. Kept for
 * the newest commits, so that a re-audit (and the history beside the snapshot) reads no commit twice.
 *
 * @param inCommitTimestamp {@code commitInfo.inCommitTimestamp}, null before in-commit timestamps were enabled
 */
public record CommitSummary(long version, Long timestamp, String operation, long adds, Long inCommitTimestamp) {

    /** The commit's time as its commitInfo says: the in-commit timestamp where there is one, else the writer's clock. */
    Long commitTimestamp() {
        return inCommitTimestamp != null ? inCommitTimestamp : timestamp;
    }

    /** Collects a summary while another visitor reads the commit. */
    public static final class Collector implements LogActionVisitor {
        private final LogActionVisitor inner;
        private Long timestamp;
        private String operation;
        private long adds;
        private Long inCommitTimestamp;

        public Collector(LogActionVisitor inner) {
            this.inner = inner;
        }

        public CommitSummary summary(long version) {
            return new CommitSummary(version, timestamp, operation, adds, inCommitTimestamp);
        }

        @Override
        public void add(String path, String deletionVectorId, long size, java.util.Map<String, String> partitionValues) {
            adds++;
            inner.add(path, deletionVectorId, size, partitionValues);
        }

        @Override
        public void addFile(String path, String deletionVectorId, long size, java.util.Map<String, String> partitionValues,
                            long modificationTime, long dvCardinality, long dvBytes) {
            adds++;
            inner.addFile(path, deletionVectorId, size, partitionValues, modificationTime, dvCardinality, dvBytes);
        }

        @Override
        public void remove(String path, String deletionVectorId, long size, Long deletionTimestamp) {
            inner.remove(path, deletionVectorId, size, deletionTimestamp);
        }

        @Override
        public void removeAction(RemoveAction remove) {
            inner.removeAction(remove);
        }

        @Override
        public void metadata(TableMetadata metadata) {
            inner.metadata(metadata);
        }

        @Override
        public void checkpointMetadata(long version) {
            inner.checkpointMetadata(version);
        }

        @Override
        public void protocol(ProtocolInfo protocol) {
            inner.protocol(protocol);
        }

        @Override
        public void commitInfo(Long ts, String op) {
            timestamp = ts;
            operation = op;
            inner.commitInfo(ts, op);
        }

        @Override
        public void inCommitTimestamp(long millis) {
            inCommitTimestamp = millis;
            inner.inCommitTimestamp(millis);
        }

        @Override
        public void domainMetadata(String domain, String configuration, boolean removed) {
            inner.domainMetadata(domain, configuration, removed);
        }

        @Override
        public void sidecar(String path) {
            inner.sidecar(path);
        }

        @Override
        public boolean wantsFileActions() {
            return true; // adds are counted even when the inner visitor ignores them
        }

        @Override
        public boolean wantsFileActionDetails() {
            return inner.wantsFileActions() && inner.wantsFileActionDetails();
        }
    }
}
