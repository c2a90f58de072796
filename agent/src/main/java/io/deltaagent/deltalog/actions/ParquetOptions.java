package io.deltaagent.deltalog.actions;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;

/**
 * Parquet read options without a Hadoop {@code Configuration}: Parquet's default builder makes a new one per file, and
 * its first lookup parses Hadoop's default XML resources. Measured in a 1,000-table daemon cycle on S3 (JFR), that parse
 * was 37% of the daemon's CPU; the log's checkpoints need none of those settings.
 */
final class ParquetOptions {

    private ParquetOptions() {
    }

    static ParquetReadOptions.Builder builder() {
        return ParquetReadOptions.builder(new PlainParquetConfiguration());
    }
}
