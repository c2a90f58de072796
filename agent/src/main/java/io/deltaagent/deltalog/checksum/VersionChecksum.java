package io.deltaagent.deltalog.checksum;

import java.util.List;

/**
 * What one version checksum file ({@code _delta_log/N.crc}, the Delta protocol's "Version Checksum File") says about
 * the table at version N. The protocol requires the sizes, counts, metadata and protocol; the rest is optional and
 * null when absent.
 *
 * @param tableId            the metadata's id
 * @param histogram          {@code fileSizeHistogram} (or its older name {@code histogramOpt}); null when absent
 * @param deletionVectors    {@code numDeletionVectorsOpt}: files with a deletion vector; null when absent
 * @param deletedRecords     {@code numDeletedRecordsOpt}; null when absent
 * @param partitionColumns   the metadata's partition columns
 */
public record VersionChecksum(
        long version,
        long tableSizeBytes,
        long numFiles,
        long numMetadata,
        long numProtocol,
        String tableId,
        List<String> partitionColumns,
        int minReaderVersion,
        int minWriterVersion,
        FileSizeHistogram histogram,
        Long deletionVectors,
        Long deletedRecords) {

    public VersionChecksum {
        if (version < 0 || tableSizeBytes < 0 || numFiles < 0) {
            throw new IllegalArgumentException("negative version, size or file count in a checksum");
        }
        partitionColumns = List.copyOf(partitionColumns);
    }
}
