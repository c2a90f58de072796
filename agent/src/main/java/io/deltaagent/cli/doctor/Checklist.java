package io.deltaagent.cli.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.List;

/** The checks in order, written for people (a checklist with the fix under each failure) or as one JSON document. */
public record Checklist(List<Check> checks) {

    /** The JSON document: {@code {"schemaVersion":1,"command":"doctor","ok":...,"checks":[...]}}. */
    record Document(int schemaVersion, String command, boolean ok, long failed, long warned, List<Check> checks) {
    }

    public Checklist {
        checks = List.copyOf(checks);
    }

    /** True when no check failed (warnings pass). */
    public boolean ok() {
        return count(Check.Status.FAIL) == 0;
    }

    private long count(Check.Status status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }

    public void writeText(PrintStream out) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Check c : checks) {
            out.printf("%-4s  %-" + width + "s  %s%n", c.status(), c.name(), c.detail());
            if (c.fix() != null) {
                out.printf("      %-" + width + "s  fix: %s%n", "", c.fix());
            }
        }
        long failed = count(Check.Status.FAIL);
        long warned = count(Check.Status.WARN);
        out.println(failed == 0 ? "all " + checks.size() + " checks passed" + (warned > 0 ? " (" + warned + " with a warning)" : "")
                : failed + " of " + checks.size() + " checks failed");
    }

    public void writeJson(PrintStream out, ObjectMapper json, int schemaVersion) {
        try {
            out.println(json.writeValueAsString(new Document(schemaVersion, "doctor", ok(), count(Check.Status.FAIL),
                    count(Check.Status.WARN), checks)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the checklist", e);
        }
    }
}
