package io.deltaagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 26's targets as report rows (measured, target, met or missed), from the runs of one table or one fleet
 * daemon. The targets are stated for the seed table (1.2M files, 1,015 versions, checkpoint 5 commits back) and a
 * 1,000-table fleet on S3 at 20 ms with 8 audits at once; rows are printed for whatever was measured, and the
 * heading names what that was.
 */
final class TargetRows {

    static final double SPARK_RATIO = 10.0;
    static final double LOCAL_AUDIT_S = 1.5;
    static final double FIRST_CYCLE_S = 30.0;
    static final double REAUDIT_CYCLE_S = 10.0;

    /** One target: {@code met} is null when it could not be measured. */
    record Row(String target, String measured, String goal, Boolean met) {

        String verdict() {
            return met == null ? "not measured" : met ? "met" : "**missed**";
        }
    }

    private TargetRows() {
    }

    /** The rows for one table's runs: on S3 the Spark ratio and the byte budget, on local disk the audit's wall time. */
    static List<Row> audit(Map<String, BenchReport.AuditRun> runs) {
        BenchReport.AuditRun agent = runs.get("agent-auto");
        List<Row> rows = new ArrayList<>();
        if (agent == null) {
            return rows;
        }
        if (agent.storage().isEmpty()) {
            rows.add(new Row("local audit (agent-auto, whole process)", secs(agent.wall()), "≤ " + LOCAL_AUDIT_S + " s",
                    agent.correct() ? agent.wall() <= LOCAL_AUDIT_S : Boolean.FALSE));
            return rows;
        }
        BenchReport.AuditRun spark = runs.get("spark-describe");
        if (spark == null || !spark.correct() || !agent.correct() || agent.wall() == 0) {
            rows.add(new Row("cold audit vs Spark's cold DESCRIBE DETAIL", "–", "≥ " + (int) SPARK_RATIO + "x", null));
        } else {
            double ratio = spark.wall() / agent.wall();
            rows.add(new Row("cold audit vs Spark's cold DESCRIBE DETAIL",
                    String.format(Locale.ROOT, "%.1f s / %.1f s = %.1fx", spark.wall(), agent.wall(), ratio),
                    "≥ " + (int) SPARK_RATIO + "x", ratio >= SPARK_RATIO));
        }
        rows.add(bytes(agent));
        return rows;
    }

    /** The bytes the server sent the agent (the proxy's count) against the budget bench-audit computed (ByteBudget). */
    private static Row bytes(BenchReport.AuditRun agent) {
        JsonNode budget = agent.node().path("bytesBudget");
        JsonNode seen = agent.node().path("proxyRequests").path("responseBytes");
        JsonNode own = agent.node().path("result").path("tables").path(0).path("health").path("readCost").path("requests")
                .path("bytesRead");
        String goal = budget.path("budgetBytes").isNumber()
                ? String.format(Locale.ROOT, "≤ %s (checkpoint columns %s of %s, add.path %s of them; footers %s; %d tail "
                        + "commits %s; 5 MB)",
                ByteBudget.mb(budget.path("budgetBytes").asLong()), ByteBudget.mb(budget.path("neededColumnBytes").asLong()),
                ByteBudget.mb(budget.path("checkpointBytes").asLong()), ByteBudget.mb(budget.path("addPathBytes").asLong()),
                ByteBudget.mb(budget.path("footerBytes").asLong()),
                budget.path("tailCommits").asInt(), ByteBudget.mb(budget.path("tailCommitBytes").asLong()))
                : "≤ checkpoint columns + tail commits + 5 MB (no budget computed)";
        if (!seen.isNumber()) {
            return new Row("bytes read by the audit", "– (the proxy counted no bytes)", goal, null);
        }
        String measured = ByteBudget.mb(seen.asLong()) + " at the server"
                + (own.isNumber() ? ", " + ByteBudget.mb(own.asLong()) + " by the agent's count" : "");
        Boolean met = budget.path("budgetBytes").isNumber() ? seen.asLong() <= budget.path("budgetBytes").asLong() : null;
        return new Row("bytes read by the audit", measured, goal, met);
    }

    /**
     * The rows for one daemon run on S3: its first cycle (every table read in full) and its second (re-audits),
     * each {@code null} when the run did not reach it.
     */
    static List<Row> fleet(JsonNode first, JsonNode second) {
        return List.of(cycle("first daemon cycle (every table read in full)", first, FIRST_CYCLE_S),
                cycle("re-audit cycle", second, REAUDIT_CYCLE_S));
    }

    private static Row cycle(String what, JsonNode n, double limit) {
        String goal = "≤ " + (int) limit + " s";
        if (n == null) {
            return new Row(what, "–", goal, null);
        }
        double took = n.path("tookMs").asLong() / 1000.0;
        boolean right = n.path("filesCounted").asLong() == n.path("files").asLong()
                && n.path("tablesAudited").asLong() == n.path("tables").asLong();
        return new Row(what, secs(took) + (right ? "" : " (wrong file counts)"), goal, right && took <= limit);
    }

    static void print(String heading, List<Row> rows, PrintStream out) {
        if (rows.isEmpty()) {
            return;
        }
        out.printf("%n##### Issue 26 targets, %s%n%n| target | measured | goal | |%n|---|---|---|---|%n", heading);
        for (Row r : rows) {
            out.printf("| %s | %s | %s | %s |%n", r.target(), r.measured(), r.goal(), r.verdict());
        }
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }
}
