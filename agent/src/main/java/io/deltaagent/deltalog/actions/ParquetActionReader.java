package io.deltaagent.deltalog.actions;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;

/**
 * The one Parquet reading engine of the log: opens a checkpoint part or sidecar through one stream, reads its footer,
 * asks the plan which action columns to read (the sparse actions, or the add actions' columns), skips the row groups
 * and pages the plan's filter rules out by their statistics, and hands every row left to the plan's converters. The
 * two passes of an audit ({@link CheckpointColumnReader}, {@link CheckpointAddReader}) are two plans over it.
 */
final class ParquetActionReader {

    /** What one pass reads of a file. */
    interface Plan {
        /** The columns to read, from the file's schema; null to read nothing of this file. */
        MessageType project(MessageType fileSchema);

        /** Rows worth assembling, judged by columns the projection holds; {@link FilterCompat#NOOP} for every row. */
        FilterCompat.Filter rows(MessageType projection);

        /** The converters that take the projected rows. */
        RecordMaterializer<Void> materializer(MessageType projection);
    }

    private ParquetActionReader() {
    }

    /**
     * @param display the file as messages name it, e.g. {@code _delta_log/00000000000000000010.checkpoint.parquet}
     * @throws CorruptLogException naming the file, when it is missing or cannot be read
     */
    static void read(ParquetObject object, String display, Plan plan) {
        try {
            InputFile input = object.input();
            // one open per read: the footer and the row groups come from the same stream
            SeekableInputStream stream = input.newStream();
            try {
                ParquetMetadata footer = ParquetFileReader.readFooter(input, ParquetOptions.builder().build(), stream);
                MessageType fileSchema = footer.getFileMetaData().getSchema();
                MessageType projection = plan.project(fileSchema);
                if (projection == null) {
                    return;
                }
                ParquetReadOptions options = ParquetOptions.builder().withRecordFilter(plan.rows(projection))
                        .useStatsFilter(true).useColumnIndexFilter(true).useRecordFilter(false).useDictionaryFilter(false)
                        .useBloomFilter(false).build();
                try (ParquetFileReader reader = ParquetFileReader.open(input, footer, options, stream)) {
                    stream = null; // the reader closes it
                    reader.setRequestedSchema(projection);
                    RecordMaterializer<Void> materializer = plan.materializer(projection);
                    MessageColumnIO columnIO = new ColumnIOFactory().getColumnIO(projection, fileSchema);
                    PageReadStore pages;
                    while ((pages = reader.readNextFilteredRowGroup()) != null) {
                        RecordReader<Void> records = columnIO.getRecordReader(pages, materializer, FilterCompat.NOOP);
                        for (long row = 0, rows = pages.getRowCount(); row < rows; row++) {
                            // the two passes run at once: a cancelled audit stops both, even on a local disk that
                            // never looks at the interrupt
                            if ((row & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
                                throw new java.io.InterruptedIOException("interrupted while reading checkpoint " + display);
                            }
                            records.read();
                        }
                    }
                }
            } finally {
                if (stream != null) {
                    stream.close();
                }
            }
        } catch (java.io.InterruptedIOException e) {
            // cancelled (the audit's timeout or close), not corrupt
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        } catch (FileNotFoundException e) {
            throw new CorruptLogException("checkpoint " + display + " is missing", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptLogException) {
                throw (CorruptLogException) e;
            }
            throw new CorruptLogException("cannot read checkpoint " + display + ": " + CheckpointColumnReader.rootMessage(e), e);
        }
    }
}
