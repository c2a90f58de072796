package io.deltaagent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.policy.MaintenanceAction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Predicted vs actual: what is judged, with which slack, and the write amplification. */
@Tag("fast")
class PlanCheckTest {

    private static final long KIB = 1024;
    /** 60 tiny files (360 KiB) into about 1 file, out of 63 files: the mixed table of issue 13. */
    private static final PlanCheck PLANNED = PlanCheck.planned(new Expectation(60, 360 * KIB, 1, 360 * KIB, 4, 1));

    @Test
    void aRunThatDidWhatWasPlannedIsNotFlagged() {
        PlanCheck c = PLANNED.judged(MaintenanceAction.OPTIMIZE, new CommitMetrics(60, 360 * KIB, 1, 340 * KIB), 4L, 0.2);
        assertThat(c.deviation()).isNull();
        assertThat(c.writeAmplification()).isEqualTo(1.0);
        assertThat(c.filesAfter()).isEqualTo(4);
        assertThat(c.plannedFilesAfter()).isEqualTo(4);
    }

    @Test
    void rewritingHealthyFilesTooIsFlaggedWithItsAmplification() {
        // what Delta's defaults did: all 63 files (442 MB) into one
        PlanCheck c = PLANNED.judged(MaintenanceAction.OPTIMIZE, new CommitMetrics(63, 442_000_000L, 1, 442_000_000L), 1L, 0.2);
        assertThat(c.deviation()).as("3 files more is within the tolerance, 1,200x the bytes is not")
                .isEqualTo("rewrote 422 MiB, planned 360 KiB (prediction-tolerance 20%)");
        assertThat(c.writeAmplification()).isGreaterThan(1000);
    }

    @Test
    void oneFileOfSlackAndTheToleranceAreAllowed() {
        // Delta drops a bin of a single file: one small file may stay
        assertThat(PLANNED.judged(MaintenanceAction.OPTIMIZE, new CommitMetrics(59, 354 * KIB, 2, 350 * KIB), 5L, 0.2).deviation())
                .isNull();
        assertThat(PLANNED.judged(MaintenanceAction.OPTIMIZE, new CommitMetrics(40, 240 * KIB, 1, 240 * KIB), 24L, 0.2).deviation())
                .isEqualTo("rewrote 40 files, planned 60 (prediction-tolerance 20%)");
        assertThat(PLANNED.judged(MaintenanceAction.OPTIMIZE, new CommitMetrics(60, 360 * KIB, 5, 360 * KIB), 8L, 0.2).deviation())
                .isEqualTo("wrote 5 files, planned about 1 (prediction-tolerance 20%)");
    }

    @Test
    void nothingRewrittenWhenSomethingWasPlannedIsFlagged() {
        assertThat(PLANNED.judged(MaintenanceAction.OPTIMIZE, CommitMetrics.NONE, 63L, 0.2).deviation())
                .startsWith("rewrote 0 files, planned 60");
    }

    @Test
    void unknownActualsAndActionsThatRewriteNothingAreNotJudged() {
        PlanCheck unknown = PLANNED.judged(MaintenanceAction.OPTIMIZE, null, 63L, 0.2);
        assertThat(unknown.filesRewritten()).isNull();
        assertThat(unknown.deviation()).isNull();
        assertThat(unknown.filesAfter()).isEqualTo(63);
        PlanCheck checkpoint = PlanCheck.planned(Expectation.noRewrite(0, 0, 63, 0))
                .judged(MaintenanceAction.CHECKPOINT, CommitMetrics.NONE, 63L, 0.2);
        assertThat(checkpoint.deviation()).isNull();
        assertThat(checkpoint.writeAmplification()).isNull();
    }
}
