package io.deltaagent.deltalog.checksum;

import java.util.List;

/**
 * How an audit's figures compared with the table's checksum file of the same version (the audit JSON's
 * {@code health.checksum}).
 *
 * @param version    the version whose {@code .crc} was read
 * @param status     {@code agrees}, {@code disagrees} (see mismatches) or {@code unreadable} (a corrupt or truncated
 *                   file: the audit's own figures stand)
 * @param mismatches the figures that disagree; empty unless disagrees
 * @param note       why it was unreadable; null otherwise
 */
public record ChecksumCheck(long version, String status, List<ChecksumMismatch> mismatches, String note) {

    public static final String AGREES = "agrees";
    public static final String DISAGREES = "disagrees";
    public static final String UNREADABLE = "unreadable";

    public ChecksumCheck {
        mismatches = List.copyOf(mismatches);
    }

    public boolean disagrees() {
        return DISAGREES.equals(status);
    }
}
