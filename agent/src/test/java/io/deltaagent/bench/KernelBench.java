package io.deltaagent.bench;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterator;
import org.apache.hadoop.conf.Configuration;

/**
 * One cold Delta Kernel read of a table, for bench-audit: the latest snapshot, then every scan file (the rows the
 * selection vectors keep). Prints one JSON line: files, version, snapshotMs, scanMs, peakHeapBytes, and requests (S3A's
 * counters of the table's FileSystem, null on a local path). Hadoop settings from {@code -Dbench.hadoopConf=FILE}.
 */
public final class KernelBench {

    private KernelBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelBench TABLE");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Configuration conf = BenchHadoopConf.load();
        Engine engine = DefaultEngine.create(conf);
        Snapshot snapshot = Table.forPath(engine, args[0]).getLatestSnapshot(engine);
        long t1 = System.nanoTime();
        long files = 0;
        Scan scan = snapshot.getScanBuilder().build();
        try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine)) {
            while (batches.hasNext()) {
                try (CloseableIterator<Row> rows = batches.next().getRows()) {
                    while (rows.hasNext()) {
                        rows.next();
                        files++;
                    }
                }
            }
        }
        long t2 = System.nanoTime();
        System.out.printf("{\"tool\":\"kernel-scan\",\"files\":%d,\"version\":%d,\"snapshotMs\":%d,\"scanMs\":%d,"
                + "\"peakHeapBytes\":%d,\"requests\":%s}%n", files, snapshot.getVersion(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, PeakHeap.bytes(), BenchHadoopConf.requestsJson(args[0], conf));
    }
}
