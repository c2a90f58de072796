package io.deltaagent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config lookup order on a host whose home and root are temporary directories (the real /etc is never read). */
@Tag("fast")
class ConfigLookupTest {

    @TempDir
    Path tmp;

    private Path home;
    private Path root;
    private Path flagFile;
    private Path envFile;
    private Path xdgFile;
    private Path etcFile;

    @BeforeEach
    void files() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        root = Files.createDirectories(tmp.resolve("root"));
        flagFile = write(tmp.resolve("flag.yaml"));
        envFile = write(tmp.resolve("env.yaml"));
        xdgFile = write(tmp.resolve("xdg/delta-agent/agent.yaml"));
        etcFile = write(root.resolve("etc/delta-agent/agent.yaml"));
    }

    private static Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "defaults: {}\n");
    }

    private ConfigLookup lookup(Map<String, String> env) {
        return new ConfigLookup(new Host(env, home, root));
    }

    @Test
    void theFlagWinsOverEverything() {
        assertThat(lookup(Map.of("DELTA_AGENT_CONFIG", envFile.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()))
                .find(flagFile)).contains(new ConfigLocation(flagFile, ConfigLocation.Source.FLAG));
    }

    @Test
    void theVariableWinsOverTheWellKnownPlaces() {
        assertThat(lookup(Map.of("DELTA_AGENT_CONFIG", envFile.toString(), "XDG_CONFIG_HOME", tmp.resolve("xdg").toString()))
                .find(null)).contains(new ConfigLocation(envFile, ConfigLocation.Source.ENVIRONMENT));
    }

    @Test
    void xdgConfigHomeWinsOverEtc() {
        assertThat(lookup(Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg").toString())).find(null))
                .contains(new ConfigLocation(xdgFile, ConfigLocation.Source.USER));
    }

    @Test
    void withoutXdgConfigHomeTheUsersDotConfigIsRead() throws IOException {
        Path dotConfig = write(home.resolve(".config/delta-agent/agent.yaml"));
        assertThat(lookup(Map.of()).find(null)).contains(new ConfigLocation(dotConfig, ConfigLocation.Source.USER));
    }

    @Test
    void aRelativeXdgConfigHomeIsIgnoredAsTheSpecificationSays() throws IOException {
        Path dotConfig = write(home.resolve(".config/delta-agent/agent.yaml"));
        assertThat(lookup(Map.of("XDG_CONFIG_HOME", "xdg")).find(null)).contains(new ConfigLocation(dotConfig, ConfigLocation.Source.USER));
    }

    @Test
    void etcIsTheLastPlace() {
        assertThat(lookup(Map.of()).find(null)).contains(new ConfigLocation(etcFile, ConfigLocation.Source.SYSTEM));
    }

    @Test
    void noFileAnywhereMeansTheDefaults() throws IOException {
        Files.delete(etcFile);
        assertThat(lookup(Map.of()).find(null)).isEmpty();
        assertThat(new ConfigLookup(new Host(Map.of(), null, root)).find(null)).isEmpty();
    }

    @Test
    void aMissingFileNamedByTheFlagIsAnErrorNamingFileAndFlag() {
        Path missing = tmp.resolve("nope.yaml");
        assertThatThrownBy(() -> lookup(Map.of()).find(missing)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist").hasMessageContaining("--config");
    }

    @Test
    void aMissingFileNamedByTheVariableIsAnErrorNamingFileAndVariable() {
        Map<String, String> env = new HashMap<>(Map.of("DELTA_AGENT_CONFIG", tmp.resolve("gone.yaml").toString()));
        // the variable is not skipped for the next place: the user named a file, and it is not there
        assertThatThrownBy(() -> lookup(env).find(null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(tmp.resolve("gone.yaml").toString()).hasMessageContaining("DELTA_AGENT_CONFIG");
    }
}
