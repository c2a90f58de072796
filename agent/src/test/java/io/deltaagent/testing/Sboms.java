package io.deltaagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Checks a CycloneDX SBOM against the jars it claims to describe. */
public final class Sboms {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Sboms() {
    }

    /** A parsed CycloneDX JSON document; fails unless it is one. */
    public static JsonNode read(Path sbom) throws IOException {
        assertThat(sbom).as("the SBOM (cyclonedx-maven-plugin writes it in an online build only: mvn -o skips it with a "
                + "warning)").isRegularFile();
        JsonNode bom = JSON.readTree(sbom.toFile());
        assertThat(bom.path("bomFormat").asText()).as(sbom + " bomFormat").isEqualTo("CycloneDX");
        assertThat(bom.path("components").isArray()).as(sbom + " has components").isTrue();
        return bom;
    }

    /**
     * The SBOM lists every jar of {@code libDir} as a component of that name and version (the jar is
     * {@code NAME-VERSION[-classifier].jar}), and among them {@code named} (e.g. picocli, jackson-core).
     */
    public static void listsEveryJar(Path sbom, Path libDir, String... named) throws IOException {
        JsonNode bom = read(sbom);
        List<String> components = new ArrayList<>();
        bom.get("components").forEach(c -> components.add(c.path("name").asText() + "-" + c.path("version").asText()));
        List<String> jars;
        try (Stream<Path> files = Files.list(libDir)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted().toList();
        }
        for (String jar : jars) {
            String base = jar.substring(0, jar.length() - ".jar".length());
            assertThat(components).as(sbom + " lists " + jar).anyMatch(c -> base.equals(c) || base.startsWith(c + "-"));
        }
        for (String library : named) {
            String version = jars.stream().filter(j -> j.matches(library + "-\\d.*\\.jar")).findFirst().orElseThrow()
                    .replaceAll("^" + library + "-(.*)\\.jar$", "$1");
            assertThat(components).as(sbom + ": " + library + " " + version).contains(library + "-" + version);
        }
    }
}
