package io.deltaagent.deltalog.checksum;

/**
 * The figures an audit read from the log that a checksum file also states, as plain values.
 *
 * @param deletionVectors files with a deletion vector; null when the reader does not count them
 */
public record AuditedFigures(long version, long numFiles, long tableSizeBytes, String tableId, int minReaderVersion,
                             int minWriterVersion, Long deletionVectors) {
}
