package io.deltaagent.deltalog.checksum;

/**
 * One figure where the checksum file and the audit's own read disagree.
 *
 * @param field    the checksum's field name ({@code numFiles}, {@code tableSizeBytes}, ...)
 * @param checksum what the checksum file says
 * @param audit    what the audit read from the log
 */
public record ChecksumMismatch(String field, String checksum, String audit) {

    public String describe() {
        return field + ": checksum " + checksum + ", audit " + audit;
    }
}
