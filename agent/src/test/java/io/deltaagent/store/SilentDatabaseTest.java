package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.cli.ExitCode;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.SilentEndpoint;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A PostgreSQL port that accepts and never answers: commands and the daemon's store fail within the login timeout. */
class SilentDatabaseTest {

    @Test
    void historyFailsWithinItsTimeoutInsteadOfHanging() throws Exception {
        try (SilentEndpoint db = new SilentEndpoint()) {
            String url = "jdbc:postgresql://127.0.0.1:" + db.port() + "/agent";
            long t0 = System.nanoTime();
            CliRun run = CliRun.of("history", "--history-db", url);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(run.exitCode()).as("a database that does not answer: retry later, not bad usage").isEqualTo(ExitCode.TRANSIENT);
            assertThat(run.err()).contains("history database " + url).contains("cannot connect");
            assertThat(db.accepted()).as("it did reach the silent server").isPositive();
            assertThat(took).as("bounded by loginTimeout (" + JdbcUrls.LOGIN_TIMEOUT + " s), not minutes")
                    .isLessThan(Duration.ofSeconds(JdbcUrls.LOGIN_TIMEOUT + 15));

            long t1 = System.nanoTime();
            assertThatThrownBy(() -> HistoryStore.openPooled(url, "u", "p", 4)).isInstanceOf(DeltaAgentException.class)
                    .hasMessageContaining("cannot connect");
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("the daemon's pooled store too")
                    .isLessThan(Duration.ofSeconds(JdbcUrls.LOGIN_TIMEOUT + 15));
        }
    }

    @Test
    void timeoutsAreAddedOnlyWhereTheUrlSetsNone() {
        assertThat(JdbcUrls.effective("jdbc:postgresql://db/agent"))
                .isEqualTo("jdbc:postgresql://db/agent?connectTimeout=10&loginTimeout=10&socketTimeout=60");
        assertThat(JdbcUrls.effective("jdbc:postgresql://db/agent?ssl=true&socketTimeout=300"))
                .isEqualTo("jdbc:postgresql://db/agent?ssl=true&socketTimeout=300&connectTimeout=10&loginTimeout=10");
        assertThat(JdbcUrls.effective("jdbc:h2:file:/tmp/h")).isEqualTo("jdbc:h2:file:/tmp/h;WRITE_DELAY=0;TRACE_LEVEL_FILE=4");
        assertThat(JdbcUrls.effective("jdbc:h2:file:/tmp/h;TRACE_LEVEL_FILE=1")).as("the URL's own trace setting stays")
                .isEqualTo("jdbc:h2:file:/tmp/h;TRACE_LEVEL_FILE=1;WRITE_DELAY=0");
    }
}
