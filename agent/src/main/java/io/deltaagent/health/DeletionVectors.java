package io.deltaagent.health;

/**
 * Deletion vectors of the active files (Delta Kernel reader only; null in TableHealth otherwise).
 *
 * @param deletedRows rows marked deleted by the vectors (their cardinality), still stored in the files
 * @param fileShare share of active files that carry a vector, 0..1
 */
public record DeletionVectors(long filesWithDeletionVectors, long deletedRows, long vectorBytes, double fileShare) {
}
