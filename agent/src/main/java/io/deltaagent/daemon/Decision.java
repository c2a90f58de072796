package io.deltaagent.daemon;

/**
 * What admission made of one candidate, with the reason in words.
 *
 * @param rank the candidate's place in the ranking of its cycle, from 1
 */
public record Decision(Candidate candidate, int rank, Verdict verdict, String reason) {

    /** Admitted, or why not. */
    public enum Verdict { ADMITTED, IN_FLIGHT, WINDOW_CLOSED, CAPPED, COOLDOWN, BACKING_OFF, BUDGET }

    public boolean admitted() {
        return verdict == Verdict.ADMITTED;
    }

    /** One log line: starts with the table. */
    public String describe() {
        return candidate.table() + ": " + candidate.actionName() + (rank > 0 ? " rank " + rank : "") + " (" + candidate.why()
                + (candidate.forecast() == null ? "" : "; " + candidate.forecast().describe()) + "): " + verdict
                + (reason == null ? "" : ", " + reason);
    }
}
