package io.deltaagent.deltalog.checksum;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an audit's figures against the checksum file of the same version and says so in the log: a disagreement is a
 * warning per field (both values), a checksum that cannot be read a warning; neither fails the audit, whose own full
 * read stands.
 */
public final class ChecksumVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(ChecksumVerifier.class);

    /** Opens the checksum file; the caller's storage. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private ChecksumVerifier() {
    }

    public static ChecksumCheck verify(String table, AuditedFigures audit, Source crc) {
        return verify(table, read(table, audit.version(), crc), audit);
    }

    /** Reads and parses the checksum file of {@code version}; a file that cannot be read is a warning, not a failure. */
    public static ChecksumRead read(String table, long version, Source crc) {
        try (InputStream in = crc.open()) {
            return new ChecksumRead(version, ChecksumFile.parse(version, in), null);
        } catch (CorruptChecksumException e) {
            LOG.warn("{}: {}; the audit's own figures stand", table, e.getMessage());
            return new ChecksumRead(version, null, e.getMessage());
        } catch (IOException e) {
            String why = "_delta_log/" + ChecksumFile.name(version) + ": cannot be read: " + e.getMessage();
            LOG.warn("{}: {}; the audit's own figures stand", table, why);
            return new ChecksumRead(version, null, why);
        }
    }

    /** Checks the figures against a checksum file already read; each disagreeing field is a warning. */
    public static ChecksumCheck verify(String table, ChecksumRead crc, AuditedFigures audit) {
        if (crc.checksum() == null) {
            return new ChecksumCheck(audit.version(), ChecksumCheck.UNREADABLE, List.of(), crc.unreadable());
        }
        List<ChecksumMismatch> mismatches = ChecksumComparison.compare(crc.checksum(), audit);
        for (ChecksumMismatch m : mismatches) {
            LOG.warn("{}: version {}: the checksum file disagrees with the audit: {}", table, audit.version(), m.describe());
        }
        return new ChecksumCheck(audit.version(), mismatches.isEmpty() ? ChecksumCheck.AGREES : ChecksumCheck.DISAGREES,
                mismatches, null);
    }
}
