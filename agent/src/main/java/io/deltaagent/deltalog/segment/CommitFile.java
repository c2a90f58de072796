package io.deltaagent.deltalog.segment;

/** One commit JSON in the listing: its version, full path, size and modification time (epoch millis). */
public record CommitFile(long version, String path, long bytes, long modifiedMillis) {
}
