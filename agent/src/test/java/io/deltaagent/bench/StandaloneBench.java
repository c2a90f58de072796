package io.deltaagent.bench;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Snapshot;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.data.CloseableIterator;
import org.apache.hadoop.conf.Configuration;

/**
 * One cold Delta Standalone read of a table, for bench-audit: {@code DeltaLog.forTable} (the snapshot), then
 * either {@code getAllFiles()} (mode {@code allfiles}: every AddFile in one list) or iterating {@code scan().getFiles()}
 * (mode {@code scan}). Prints one JSON line: files, version, snapshotMs, scanMs, peakHeapBytes.
 */
public final class StandaloneBench {

    private StandaloneBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("allfiles") || args[0].equals("scan"))) {
            System.err.println("usage: StandaloneBench allfiles|scan TABLE");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        DeltaLog log = DeltaLog.forTable(new Configuration(), args[1]);
        Snapshot snapshot = log.snapshot();
        long t1 = System.nanoTime();
        long files = 0;
        if (args[0].equals("allfiles")) {
            files = snapshot.getAllFiles().size();
        } else {
            try (CloseableIterator<AddFile> it = snapshot.scan().getFiles()) {
                while (it.hasNext()) {
                    it.next();
                    files++;
                }
            }
        }
        long t2 = System.nanoTime();
        System.out.printf("{\"tool\":\"standalone-%s\",\"files\":%d,\"version\":%d,\"snapshotMs\":%d,\"scanMs\":%d,"
                        + "\"peakHeapBytes\":%d}%n", args[0], files, snapshot.getVersion(), (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, PeakHeap.bytes());
    }
}
