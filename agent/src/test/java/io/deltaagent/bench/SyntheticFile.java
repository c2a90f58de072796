package io.deltaagent.bench;

/** One data file as the log records it; {@code date} is the partition value, null when unpartitioned. */
record SyntheticFile(String path, String date, long size, long modificationTime, String stats) {
}
