package io.deltaagent.health;

import java.util.List;
import java.util.Map;

/**
 * Who the table is and what protocol it speaks.
 *
 * @param properties the table properties that matter for maintenance (checkpoint interval, retentions,
 *                   target file size, auto-optimize)
 * @param clusteringColumns liquid clustering columns (physical names under column mapping), empty when not clustered
 * @param catalogManaged null unless the protocol makes the table catalog-managed
 */
public record TableIdentity(
        String location,
        String tableId,
        long version,
        int minReaderVersion,
        int minWriterVersion,
        List<String> readerFeatures,
        List<String> writerFeatures,
        List<String> partitionColumns,
        Map<String, String> properties,
        List<String> clusteringColumns,
        CatalogManaged catalogManaged) {

    public TableIdentity {
        readerFeatures = List.copyOf(readerFeatures);
        writerFeatures = List.copyOf(writerFeatures);
        partitionColumns = List.copyOf(partitionColumns);
        properties = Map.copyOf(properties);
        clusteringColumns = List.copyOf(clusteringColumns);
    }

    public boolean clustered() {
        return !clusteringColumns.isEmpty();
    }
}
