package io.deltaagent.cli;

import io.deltaagent.config.ByteSize;
import io.deltaagent.plan.PlanCheck;
import java.io.PrintStream;
import java.util.Locale;

/** Predicted vs actual in two lines for people, the same in maintain and history. */
final class PlanCheckText {

    private PlanCheckText() {
    }

    static void print(PlanCheck c, String indent, PrintStream out) {
        if (c == null || c.plannedFilesRewritten() == 0 && c.filesRewritten() == null) {
            return;
        }
        StringBuilder line = new StringBuilder(indent).append("planned ").append(c.plannedFilesRewritten()).append(" files (")
                .append(ByteSize.format(c.plannedBytesRewritten())).append(") -> about ").append(c.plannedFilesWritten())
                .append(", ").append(c.plannedFilesAfter()).append(" files after");
        if (c.filesRewritten() != null) {
            line.append("; did ").append(c.filesRewritten()).append(" files (").append(ByteSize.format(c.bytesRewritten()))
                    .append(") -> ").append(c.filesWritten()).append(" (").append(ByteSize.format(c.bytesWritten())).append(')');
        }
        if (c.filesAfter() != null) {
            line.append(", ").append(c.filesAfter()).append(" files after");
        }
        if (c.writeAmplification() != null) {
            line.append("; write amplification ").append(String.format(Locale.ROOT, "%.2fx", c.writeAmplification()));
        }
        out.println(line);
        if (c.deviation() != null) {
            out.println(indent + "DEVIATED from the plan: " + c.deviation());
        }
    }
}
