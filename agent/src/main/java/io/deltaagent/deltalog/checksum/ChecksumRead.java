package io.deltaagent.deltalog.checksum;

/**
 * One checksum file as an audit read it, once: its figures, or why it could not be read. Shared by everyone in the
 * audit who needs it (a shortcut that proves its figures with it, then the check reported in {@code health.checksum}),
 * so the file costs one GET.
 *
 * @param checksum   what it says; null when unreadable
 * @param unreadable why it could not be read; null when it was
 */
public record ChecksumRead(long version, VersionChecksum checksum, String unreadable) {

    public ChecksumRead {
        if ((checksum == null) == (unreadable == null)) {
            throw new IllegalArgumentException("a checksum read has either figures or a reason it is unreadable");
        }
    }
}
