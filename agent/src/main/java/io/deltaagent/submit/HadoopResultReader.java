package io.deltaagent.submit;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads result documents through Hadoop's FileSystem with the agent's storage settings: local paths,
 * {@code file:}, {@code s3a://}, {@code hdfs://}. Documents are small; anything over 1 MiB is refused.
 */
public final class HadoopResultReader implements ResultReader {

    private static final int MAX_BYTES = 1 << 20;

    private final Configuration conf;

    public HadoopResultReader(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Optional<String> read(String location) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(conf);
            try (InputStream in = fs.open(path)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new BackendException("result document " + location + " is larger than 1 MiB: not a job result", false);
                }
                String text = new String(bytes, StandardCharsets.UTF_8).trim();
                return text.isEmpty() ? Optional.empty() : Optional.of(text);
            }
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BackendException("cannot read the job's result document " + location + ": " + e.getMessage(), true, e);
        }
    }
}
