package io.deltaagent.daemon.http;

import io.deltaagent.config.Durations;
import io.deltaagent.storage.TablePaths;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.AuditSampleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /api/samples?table=&since=}: the audit trend (one row per table and audit, thinned with age), oldest first.
 * {@code table} is canonicalised as {@code /api/history} does (every table when absent); {@code since} is an instant
 * ({@code 2026-12-01T00:00:00Z}) or a duration back from now ({@code 7d}, {@code 12h}); 7 days when absent.
 */
final class SamplesRoute {

    static final Duration DEFAULT_SPAN = Duration.ofDays(7);

    /** What the route answers: a status and a JSON-ready body. */
    record Answer(int status, Object body) {
    }

    private final AuditSampleStore samples;
    private final Clock clock;

    SamplesRoute(AuditSampleStore samples, Clock clock) {
        this.samples = Objects.requireNonNull(samples, "samples");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    Answer answer(Map<String, String> query) {
        String table;
        try {
            table = query.get("table") == null || query.get("table").isBlank() ? null : TablePaths.canonical(query.get("table"));
        } catch (IllegalArgumentException e) {
            return bad("table: " + e.getMessage());
        }
        Instant since;
        try {
            since = since(query.get("since"));
        } catch (IllegalArgumentException e) {
            return bad("since: " + e.getMessage());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (AuditSample s : samples.samples(table, since)) {
            rows.add(row(s));
        }
        return new Answer(200, rows);
    }

    private Instant since(String text) {
        if (text == null || text.isBlank()) {
            return clock.instant().minus(DEFAULT_SPAN);
        }
        if (Character.isDigit(text.charAt(0)) && text.contains("T")) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an instant; write 2026-12-01T00:00:00Z or a duration such as 7d");
            }
        }
        return clock.instant().minus(Durations.parse(text));
    }

    private static Answer bad(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", 400);
        body.put("error", message);
        return new Answer(400, body);
    }

    private static Map<String, Object> row(AuditSample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("table", s.table());
        m.put("sampledAt", s.sampledAt().toString());
        m.put("resolution", s.resolution());
        m.put("status", s.status());
        m.put("version", s.version());
        m.put("files", s.files());
        m.put("totalBytes", s.totalBytes());
        m.put("smallFiles", s.smallFiles());
        m.put("commitsSinceCheckpoint", s.commitsSinceCheckpoint());
        m.put("logObjects", s.logObjects());
        m.put("logReadMillis", s.logReadMillis());
        m.put("reader", s.reader());
        m.put("errorKind", s.errorKind());
        return m;
    }
}
