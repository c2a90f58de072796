package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.error.ConfigException;
import io.deltaagent.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budget's and shadow mode's settings: defaults, and bad values refused naming the key (exit 2 from the daemon). */
@Tag("fast")
class BudgetConfigTest {

    @TempDir
    Path tmp;

    private static DaemonSettings daemon(String yaml) {
        return new ConfigLoader().parse("agent.yaml", "daemon:\n" + yaml).daemon();
    }

    @Test
    void defaultsAreNoBudgetNoShadowAndFiveLearningRuns() {
        DaemonSettings d = DaemonSettings.defaults();
        assertThat(d.budgetPerDay()).isNull();
        assertThat(d.budgetComputeHoursPerDay()).isNull();
        assertThat(d.budgeted()).isFalse();
        assertThat(d.shadow()).isFalse();
        assertThat(d.learningRuns()).isEqualTo(5);
        assertThat(daemon("  budget-compute-hours-per-day: 200\n  shadow: true\n").shadow()).isTrue();
    }

    @Test
    void badBudgetsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> daemon("  budget-compute-hours-per-day: -1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("budget-compute-hours-per-day").hasMessageContaining("> 0");
        assertThatThrownBy(() -> daemon("  budget-per-day: lots\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("budget-per-day");
        assertThatThrownBy(() -> daemon("  budget-per-day: 40\n  budget-compute-hours-per-day: 200\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: daemon.budget-per-day and daemon.budget-compute-hours-per-day are both set: a budget "
                        + "is counted in one unit; keep one of them");
        assertThatThrownBy(() -> daemon("  learning-runs: 0\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("learning-runs");
    }

    @Test
    void aMoneyBudgetNeedsThePricesOfTheBackendsInOneCurrency() {
        assertThatThrownBy(() -> daemon("  budget-per-day: 40\n")).isInstanceOf(ConfigException.class)
                .hasMessage("agent.yaml: daemon.budget-per-day needs the price of every backend the tables use; backend local has "
                        + "none: set backends.local.core-hour-price, or count the budget in daemon.budget-compute-hours-per-day");
        DaemonSettings priced = new ConfigLoader().parse("agent.yaml", "backends:\n  local:\n    core-hour-price: 0.05\n"
                + "daemon:\n  budget-per-day: 40\n").daemon();
        assertThat(priced.budgetPerDay()).isEqualTo(40.0);
    }

    @Test
    void theDaemonExitsTwoNamingTheKey() throws Exception {
        Path config = Files.writeString(tmp.resolve("agent.yaml"), "daemon:\n  budget-compute-hours-per-day: 0\n");
        CliRun run = CliRun.of("daemon", "--config", config.toString(), "--history-db", "jdbc:h2:mem:unused");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("budget-compute-hours-per-day");
    }
}
