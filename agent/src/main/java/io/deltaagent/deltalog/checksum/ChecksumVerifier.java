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
        VersionChecksum parsed;
        try (InputStream in = crc.open()) {
            parsed = ChecksumFile.parse(audit.version(), in);
        } catch (CorruptChecksumException e) {
            LOG.warn("{}: {}; the audit's own figures stand", table, e.getMessage());
            return new ChecksumCheck(audit.version(), ChecksumCheck.UNREADABLE, List.of(), e.getMessage());
        } catch (IOException e) {
            String why = "_delta_log/" + ChecksumFile.name(audit.version()) + ": cannot be read: " + e.getMessage();
            LOG.warn("{}: {}; the audit's own figures stand", table, why);
            return new ChecksumCheck(audit.version(), ChecksumCheck.UNREADABLE, List.of(), why);
        }
        List<ChecksumMismatch> mismatches = ChecksumComparison.compare(parsed, audit);
        for (ChecksumMismatch m : mismatches) {
            LOG.warn("{}: version {}: the checksum file disagrees with the audit: {}", table, audit.version(), m.describe());
        }
        return new ChecksumCheck(audit.version(), mismatches.isEmpty() ? ChecksumCheck.AGREES : ChecksumCheck.DISAGREES,
                mismatches, null);
    }
}
