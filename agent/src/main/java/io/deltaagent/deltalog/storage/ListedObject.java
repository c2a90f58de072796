package io.deltaagent.deltalog.storage;

/** One object a {@link LogStore} listed: its key relative to the listed directory, its length and last modification. */
public record ListedObject(String key, long length, long modified) {
}
