package io.deltaagent.health;

/** One bar of the file-size histogram: files with {@code lowerBytes <= size < upperBytes} (upper -1: no bound). */
public record SizeBucket(long lowerBytes, long upperBytes, long files, long bytes) {
}
