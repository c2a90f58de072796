package io.deltaagent.audit;

import io.deltaagent.config.TableEntry;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.storage.TableLocation;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Audits one table: read its log, judge the figures. A table that cannot be read gives a failed outcome, never a throw. */
public final class TableAuditor {

    private static final Logger LOG = LoggerFactory.getLogger(TableAuditor.class);

    private final DeltaLogReader reader;
    private final BreachDetector detector;

    public TableAuditor(DeltaLogReader reader, BreachDetector detector) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    public AuditOutcome audit(TableEntry entry) {
        TableLocation location;
        try {
            location = TableLocation.of(entry.path());
        } catch (IllegalArgumentException e) {
            return AuditOutcome.failed(new TableReadException(entry.path(), TableReadException.Kind.NOT_FOUND,
                    "not a valid path or URI: " + e.getMessage(), e));
        }
        try {
            TableHealth health = reader.read(location, entry.settings());
            return AuditOutcome.measured(health, detector.detect(health, entry.settings()));
        } catch (TableReadException e) {
            LOG.info("{}", e.getMessage()); // the report carries it; no duplicate on stderr
            LOG.debug("{}: stack trace", entry.path(), e);
            return AuditOutcome.failed(e);
        }
    }
}
