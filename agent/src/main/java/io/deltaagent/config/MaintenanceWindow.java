package io.deltaagent.config;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * When an action may start, as daily spans in UTC ({@code 01:00-05:00}; a span may wrap midnight,
 * {@code 22:00-02:00}). No spans means at any time. Only the start is gated: a job that started inside the
 * window is not stopped when it closes (a half-done OPTIMIZE commits nothing and wastes the compute).
 */
public record MaintenanceWindow(List<Span> spans) {

    public static final MaintenanceWindow ALWAYS = new MaintenanceWindow(List.of());

    /** One daily span, start inclusive, end exclusive; start after end wraps midnight. */
    public record Span(LocalTime start, LocalTime end) {
        public Span {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (start.equals(end)) {
                throw new IllegalArgumentException("the span " + start + "-" + end + " is empty; write 'always' for all day");
            }
        }

        boolean contains(LocalTime t) {
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }

    public MaintenanceWindow {
        spans = List.copyOf(spans);
    }

    public boolean isOpen(Instant now) {
        if (spans.isEmpty()) {
            return true;
        }
        LocalTime t = LocalTime.ofInstant(now, ZoneOffset.UTC);
        return spans.stream().anyMatch(s -> s.contains(t));
    }

    /** {@code always}, or spans separated by commas: {@code 01:00-05:00, 22:00-23:30} (UTC). */
    public static MaintenanceWindow parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("always")) {
            return ALWAYS;
        }
        List<Span> spans = new ArrayList<>();
        for (String part : t.split(",")) {
            String[] ends = part.trim().split("-");
            if (ends.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a window; write HH:MM-HH:MM (UTC) or always");
            }
            try {
                spans.add(new Span(LocalTime.parse(ends[0].trim()), LocalTime.parse(ends[1].trim())));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not a window; write HH:MM-HH:MM (UTC) or always");
            }
        }
        return new MaintenanceWindow(spans);
    }

    @Override
    public String toString() {
        return spans.isEmpty() ? "always" : String.join(", ", spans.stream().map(Span::toString).toList());
    }
}
