package io.deltaagent.cli;

import io.deltaagent.config.ByteSize;
import io.deltaagent.report.FleetReport;
import io.deltaagent.report.TableReport;

/** {@code report --format html}: one self-contained page (no script, no external resource), every value escaped. */
final class ReportHtml {

    private ReportHtml() {
    }

    static String render(FleetReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>delta-agent report</title>\n")
                .append("<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}")
                .append(".MAINTENANCE_DUE{color:#b45309}.ERROR{color:#b91c1c}.HEALTHY{color:#15803d}</style></head><body>\n");
        h.append("<h1>delta-agent report</h1>\n<p>").append(esc(r.since().toString())).append(" to ").append(esc(r.until().toString()))
                .append("</p>\n<h2>Fleet</h2>\n<table>\n");
        row(h, "tables", String.valueOf(r.tables()));
        row(h, "actions", r.actions() + " (" + r.succeeded() + " succeeded, " + r.failed() + " failed)");
        row(h, "files compacted", r.filesRewritten() + " (" + ByteSize.format(r.bytesRewritten()) + ")");
        row(h, "write amplification", ReportCommand.amplification(r.writeAmplification()));
        row(h, "estimated cost", ReportCommand.money(r.cost()));
        h.append("</table>\n<h2>Tables</h2>\n<table>\n<tr><th>table</th><th>status</th><th>actions</th><th>failed</th>")
                .append("<th>files compacted</th><th>bytes</th><th>write amp.</th><th>files first &gt; last</th>")
                .append("<th>log read ms first &gt; last</th><th>estimated cost</th></tr>\n");
        for (TableReport t : r.perTable()) {
            h.append("<tr><td>").append(esc(t.label())).append("</td><td class=\"").append(esc(String.valueOf(t.status()))).append("\">")
                    .append(esc(t.status() == null ? "-" : t.status())).append("</td><td>").append(t.actions()).append("</td><td>")
                    .append(t.failed()).append("</td><td>").append(t.filesRewritten()).append("</td><td>")
                    .append(esc(ByteSize.format(t.bytesRewritten()))).append("</td><td>")
                    .append(esc(ReportCommand.amplification(t.writeAmplification()))).append("</td><td>")
                    .append(esc(ReportCommand.span(t.filesBefore(), t.filesAfter()))).append("</td><td>")
                    .append(esc(ReportCommand.span(t.logReadMillisBefore(), t.logReadMillisAfter()))).append("</td><td>")
                    .append(esc(t.cost().isEmpty() ? "-" : ReportCommand.money(t.cost()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!r.dueTables().isEmpty()) {
            h.append("<h2>Still due</h2>\n<ul>\n");
            r.dueTables().forEach(d -> h.append("<li>").append(esc(d)).append("</li>\n"));
            h.append("</ul>\n");
        }
        return h.append("<p><small>Costs are estimates from the configured prices, not bills.</small></p>\n</body></html>\n").toString();
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
