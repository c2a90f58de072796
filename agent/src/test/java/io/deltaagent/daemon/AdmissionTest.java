package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.config.TableSettings;
import io.deltaagent.plan.Expectation;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.store.ActionClaim;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Priority, windows and caps, decided at instants from a fixed clock: no sleeps, no database. */
@Tag("fast")
class AdmissionTest {

    private static final TableSettings NIGHT_OPTIMIZE = new ConfigLoader()
            .parse("t", "defaults:\n  optimize-window: 01:00-05:00\n").defaultSettings();

    private static Candidate optimize(String table, long smallFiles) {
        Breach b = new Breach("min-small-files", smallFiles, 50, "files", MaintenanceAction.OPTIMIZE, smallFiles + " small files");
        return Ranking.candidate(table, new PlannedAction(MaintenanceAction.OPTIMIZE, null, List.of(), null, List.of(b),
                new Expectation(smallFiles, 0, 1, 0, 1, 0), List.of()), NIGHT_OPTIMIZE, "local");
    }

    private static Candidate checkpoint(String table, long readMillis) {
        Breach b = new Breach("max-log-read-latency", readMillis, 10_000, "ms", MaintenanceAction.CHECKPOINT, "slow");
        return Ranking.candidate(table, new PlannedAction(MaintenanceAction.CHECKPOINT, null, List.of(), null, List.of(b),
                Expectation.noRewrite(0, 0, 1, 0), List.of()), NIGHT_OPTIMIZE, "local");
    }

    private static DaemonSettings caps(String yaml) {
        return new ConfigLoader().parse("t", "daemon:\n" + yaml).daemon();
    }

    private static final Clock AT_2AM = Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneOffset.UTC);
    private static final Clock AT_NOON = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void theTablesThatGainMostGoFirstAndTheOrderIsExplained() {
        List<Candidate> ranked = Ranking.rank(List.of(optimize("/b", 100), checkpoint("/c", 45_000), optimize("/a", 100),
                optimize("/d", 400)));
        assertThat(ranked).as("by gain, ties by table").extracting(Candidate::table).containsExactly("/d", "/c", "/a", "/b");
        assertThat(ranked.get(0).why()).isEqualTo("gain 8.0x: min-small-files 400 files against 50");
        assertThat(ranked.get(1).why()).isEqualTo("gain 4.5x: max-log-read-latency 45000 ms against 10000");
    }

    @Test
    void capsAdmitTheBestAndSayWhyTheRestWait() {
        List<Candidate> ranked = Ranking.rank(List.of(optimize("/small", 60), optimize("/big", 500), optimize("/mid", 200)));
        List<Decision> d = Admission.decide(ranked, List.of(), caps("  max-concurrent-jobs: 2\n"), AT_2AM.instant());
        assertThat(d).extracting(x -> x.candidate().table()).containsExactly("/big", "/mid", "/small");
        assertThat(d).extracting(Decision::verdict).containsExactly(Decision.Verdict.ADMITTED, Decision.Verdict.ADMITTED,
                Decision.Verdict.CAPPED);
        assertThat(d.get(2).describe()).isEqualTo("/small: OPTIMIZE rank 3 (gain 1.2x: min-small-files 60 files against 50): "
                + "CAPPED, all 2 job slots are busy (max-concurrent-jobs)");
    }

    @Test
    void jobsInFlightOnAnyDaemonCountAgainstTheOverallAndBackendCaps() {
        Instant now = AT_2AM.instant();
        ActionClaim other = new ActionClaim("/elsewhere", "OPTIMIZE", "local", "daemon-b", now.minusSeconds(60), "rank 1", 7L);
        List<Decision> d = Admission.decide(Ranking.rank(List.of(optimize("/a", 500), optimize("/b", 100))), List.of(other),
                caps("  max-concurrent-jobs: 3\n  max-concurrent-jobs-per-backend: {local: 2}\n"), now);
        assertThat(d).extracting(Decision::verdict).containsExactly(Decision.Verdict.ADMITTED, Decision.Verdict.CAPPED);
        assertThat(d.get(1).reason()).isEqualTo("all 2 slots of backend local are busy (max-concurrent-jobs-per-backend)");
    }

    @Test
    void aTableRunsOneActionAtATime() {
        Instant now = AT_2AM.instant();
        ActionClaim running = new ActionClaim("/a", "OPTIMIZE", "local", "daemon-a", Instant.parse("2026-03-01T01:50:00Z"), "r", 3L);
        List<Decision> d = Admission.decide(Ranking.rank(List.of(checkpoint("/a", 30_000), optimize("/b", 100))), List.of(running),
                caps("  max-concurrent-jobs: 5\n"), now);
        assertThat(d.get(0).verdict()).isEqualTo(Decision.Verdict.IN_FLIGHT);
        assertThat(d.get(0).reason()).isEqualTo("the table is busy with OPTIMIZE (admitted 2026-03-01T01:50:00Z by daemon-a, run 3)");
        assertThat(d.get(1).verdict()).isEqualTo(Decision.Verdict.ADMITTED);
    }

    @Test
    void windowsGateOptimizeWhileCheckpointRunsAnyTime() {
        List<Candidate> ranked = Ranking.rank(List.of(optimize("/a", 500), checkpoint("/b", 20_000)));
        DaemonSettings caps = caps("  max-concurrent-jobs: 5\n");
        List<Decision> noon = Admission.decide(ranked, List.of(), caps, AT_NOON.instant());
        assertThat(noon).extracting(Decision::verdict).containsExactly(Decision.Verdict.WINDOW_CLOSED, Decision.Verdict.ADMITTED);
        assertThat(noon.get(0).reason()).isEqualTo("its window 01:00-05:00 UTC is closed at 12:00 UTC");
        List<Decision> night = Admission.decide(ranked, List.of(), caps, AT_2AM.instant());
        assertThat(night).extracting(Decision::verdict).containsExactly(Decision.Verdict.ADMITTED, Decision.Verdict.ADMITTED);
    }

    @Test
    void aClosedWindowDoesNotTakeASlot() {
        List<Candidate> ranked = Ranking.rank(List.of(optimize("/a", 500), checkpoint("/b", 20_000)));
        List<Decision> d = Admission.decide(ranked, List.of(), caps("  max-concurrent-jobs: 1\n"), AT_NOON.instant());
        assertThat(d).extracting(Decision::verdict).containsExactly(Decision.Verdict.WINDOW_CLOSED, Decision.Verdict.ADMITTED);
    }
}
