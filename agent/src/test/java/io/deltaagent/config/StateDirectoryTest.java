package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory rule, on a host whose home and root are temporary directories. */
@Tag("fast")
class StateDirectoryTest {

    @TempDir
    Path tmp;

    private Path home;
    private Path root;

    @BeforeEach
    void dirs() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        root = Files.createDirectories(tmp.resolve("root"));
    }

    @Test
    void xdgStateHomeWins() throws IOException {
        Files.createDirectories(root.resolve("var/lib/delta-agent"));
        StateDirectory s = StateDirectory.of(new Host(Map.of("XDG_STATE_HOME", tmp.resolve("state").toString()), home, root));
        assertThat(s.dir()).isEqualTo(tmp.resolve("state/delta-agent"));
        assertThat(s.legacy()).isFalse();
    }

    @Test
    void aUserGetsLocalStateUnderHome() {
        assertThat(StateDirectory.of(new Host(Map.of(), home, root)).dir()).isEqualTo(home.resolve(".local/state/delta-agent"));
    }

    @Test
    void aWritableVarLibIsTheServicesDirectory() throws IOException {
        Path service = Files.createDirectories(root.resolve("var/lib/delta-agent"));
        assertThat(StateDirectory.of(new Host(Map.of(), home, root)).dir()).isEqualTo(service);
        assertThat(StateDirectory.of(new Host(Map.of(), null, root)).dir()).isEqualTo(service);
    }

    // the tests run as root, for whom every mode bit allows writing: "cannot write" is shown by a file where a directory should be
    @Test
    void aVarLibThatIsNoWritableDirectoryIsNotUsed() throws IOException {
        Files.createDirectories(root.resolve("var/lib"));
        Files.writeString(root.resolve("var/lib/delta-agent"), "not a directory");
        assertThat(StateDirectory.of(new Host(Map.of(), home, root)).dir()).isEqualTo(home.resolve(".local/state/delta-agent"));
    }

    @Test
    void noHomeAndNoServiceDirectoryIsAClearError() {
        assertThatThrownBy(() -> StateDirectory.of(new Host(Map.of(), null, root))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HOME (unset)").hasMessageContaining("XDG_STATE_HOME")
                .hasMessageContaining("--history-db").hasMessageContaining("DELTA_AGENT_HISTORY_DB");
    }

    @Test
    void aHomeThatIsNoWritableDirectoryIsAClearError() throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("home-file"), "x");
        assertThatThrownBy(() -> StateDirectory.of(new Host(Map.of(), notADirectory, root))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("HOME (" + notADirectory + ") is not a writable directory");
    }

    @Test
    void theOldDirectoryIsReadWhileItAloneHoldsAHistory() throws IOException {
        Path old = Files.createDirectories(home.resolve(".delta-agent"));
        Files.writeString(old.resolve("history.mv.db"), "x");
        StateDirectory s = StateDirectory.of(new Host(Map.of(), home, root));
        assertThat(s.dir()).isEqualTo(old);
        assertThat(s.legacy()).isTrue();
        assertThat(s.reason()).contains(home.resolve(".local/state/delta-agent").toString());

        // once the new place holds one, the new place wins
        Path fresh = Files.createDirectories(home.resolve(".local/state/delta-agent"));
        Files.writeString(fresh.resolve("history.mv.db"), "x");
        assertThat(StateDirectory.of(new Host(Map.of(), home, root)).dir()).isEqualTo(fresh);
    }

    @Test
    void anOldDirectoryWithoutAHistoryIsIgnored() throws IOException {
        Files.createDirectories(home.resolve(".delta-agent/sessions"));
        assertThat(StateDirectory.of(new Host(Map.of(), home, root)).dir()).isEqualTo(home.resolve(".local/state/delta-agent"));
    }
}
