package io.deltaagent.deltalog.storage;

import io.deltaagent.storage.TableLocation;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The {@link LogStorage} over Hadoop FileSystems (S3A, the local file system, ABFS, GCS), from one Hadoop
 * configuration: each table's FileSystem is Hadoop's cached instance for its URI, shared by the audits of the process
 * (its own counters too, see {@link LogStore#clientCounters()}), and each audit's store a {@link HadoopLogStore} over it.
 *
 * <p>The snapshot libraries that are Hadoop-bound by nature (Delta Kernel's default engine, Delta Standalone) take their
 * configuration from here ({@link #configuration()}), never from the readers' constructors.
 */
public final class HadoopStorage implements LogStorage {

    private final Configuration conf;

    public HadoopStorage(Configuration conf) {
        this.conf = Objects.requireNonNull(conf, "conf");
    }

    @Override
    public LogStore open(TableLocation table, ReadExecutor engine) throws IOException {
        return new HadoopLogStore(fileSystem(table), Objects.requireNonNull(engine, "engine"));
    }

    @Override
    public LogStore open(TableLocation table) throws IOException {
        return new HadoopLogStore(fileSystem(table));
    }

    @Override
    public String logDir(TableLocation table) throws IOException {
        return fileSystem(table).makeQualified(table.logDir()).toString();
    }

    /** The Hadoop configuration the stores are built from: for the libraries that read through Hadoop themselves. */
    public Configuration configuration() {
        return conf;
    }

    private FileSystem fileSystem(TableLocation table) throws IOException {
        return table.path().getFileSystem(conf);
    }
}
