package io.deltaagent.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Spark runtime this module copies to {@code target/spark-runtime/} (and the release archive bundles) holds no
 * jar below the first version that fixes a known CVE: a Spark or Delta bump must not silently bring one back. The
 * floors and CVE ids are the ones docs/DEPLOY.md ("The bundled Spark runtime") lists.
 */
class BundledRuntimeVersionsTest {
    /** Overridable to check another build's runtime, e.g. {@code -Ddeltaagent.spark-runtime.dir=...}. */
    private static final Path RUNTIME = Path.of(System.getProperty("deltaagent.spark-runtime.dir", "target/spark-runtime"));

    private static final List<Floor> FLOORS = List.of(
            new Floor("netty-(?!tcnative)[a-z0-9-]+?", "4.1.137",
                    "CVE-2023-44487, CVE-2024-29025, CVE-2025-55163, CVE-2025-67735, CVE-2026-33870, CVE-2026-33871,"
                            + " CVE-2026-41417, CVE-2026-59903"),
            new Floor("lz4-java", "1.11.2", "CVE-2025-12183, CVE-2025-66566, CVE-2026-59949, GHSA-6cx8-rjf8-pr8g"),
            new Floor("commons-compress", "1.26.0", "CVE-2024-25710, CVE-2024-26308"),
            new Floor("commons-lang3", "3.18.0", "CVE-2025-48924"),
            new Floor("protobuf-java", "3.25.5", "CVE-2024-7254"),
            new Floor("log4j-core", "2.25.5", "CVE-2025-68161, CVE-2026-34477, CVE-2026-34480, CVE-2026-49844"),
            new Floor("jackson-core", "2.18.8", "GHSA-72hv-8253-57qq, GHSA-r7wm-3cxj-wff9"),
            new Floor("jackson-databind", "2.18.9", "CVE-2026-54512, CVE-2026-54513, CVE-2026-54515"),
            new Floor("aircompressor", "2.0.3", "CVE-2025-67721"),
            new Floor("zookeeper", "3.9.3", "CVE-2023-44981, CVE-2024-23944, CVE-2024-51504"),
            new Floor("guava", "32.0.0", "CVE-2018-10237, CVE-2020-8908, CVE-2023-2976"));

    @Test
    void noBundledJarIsBelowTheVersionThatFixesItsKnownCves() throws IOException {
        List<String> jars = jarNames();
        // a runtime that is not there would pass vacuously
        assertThat(jars).as("jars in %s", RUNTIME.toAbsolutePath())
                .anyMatch(name -> name.startsWith("spark-core_"))
                .anyMatch(name -> name.startsWith("netty-all-"))
                .anyMatch(name -> name.startsWith("lz4-java-"));

        List<String> vulnerable = new ArrayList<>();
        for (String jar : jars) {
            for (Floor floor : FLOORS) {
                floor.violation(jar).ifPresent(vulnerable::add);
            }
        }
        assertThat(vulnerable)
                .as("jars in %s below their fixed version: pin the fixed version in spark-jobs/pom.xml, or explain in"
                        + " docs/DEPLOY.md why it cannot move and lower the floor here", RUNTIME.toAbsolutePath())
                .isEmpty();
    }

    @Test
    void versionsCompareByTheirNumbers() {
        assertThat(Floor.compare("1.8.0", "1.10.1")).isNegative();
        assertThat(Floor.compare("4.1.141.Final", "4.1.129")).isPositive();
        assertThat(Floor.compare("3.18.0", "3.18.0")).isZero();
        Floor netty = FLOORS.get(0);
        assertThat(netty.violation("netty-transport-native-epoll-4.1.96.Final-linux-x86_64.jar")).isPresent();
        assertThat(netty.violation("netty-codec-http2-4.1.141.Final.jar")).isEmpty();
        assertThat(netty.violation("arrow-memory-netty-12.0.1.jar")).isEmpty();
        // netty-tcnative has its own version line (2.0.x)
        assertThat(netty.violation("netty-tcnative-boringssl-static-2.0.70.Final.jar")).isEmpty();
    }

    private static List<String> jarNames() throws IOException {
        try (Stream<Path> files = Files.list(RUNTIME)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted().toList();
        }
    }

    /** Jars named {@code <artifact>-<version>[-classifier].jar} whose artifact matches must be at least {@code minimum}. */
    private record Floor(String artifact, String minimum, String cves) {
        private Pattern pattern() {
            return Pattern.compile("^(" + artifact + ")-(\\d+(?:\\.\\d+)*)([.-].*)?\\.jar$");
        }

        Optional<String> violation(String jarName) {
            Matcher matcher = pattern().matcher(jarName);
            if (!matcher.matches() || compare(matcher.group(2), minimum) >= 0) {
                return Optional.empty();
            }
            return Optional.of(jarName + ": " + matcher.group(1) + " below " + minimum + " (" + cves + ")");
        }

        /** Compares the leading numeric parts ("4.1.141.Final" is 4.1.141). */
        static int compare(String version, String other) {
            int[] a = numbers(version);
            int[] b = numbers(other);
            for (int i = 0; i < Math.max(a.length, b.length); i++) {
                int x = i < a.length ? a[i] : 0;
                int y = i < b.length ? b[i] : 0;
                if (x != y) {
                    return Integer.compare(x, y);
                }
            }
            return 0;
        }

        private static int[] numbers(String version) {
            Matcher leading = Pattern.compile("^\\d+(?:\\.\\d+)*").matcher(version);
            if (!leading.find()) {
                throw new IllegalArgumentException("not a version: " + version);
            }
            return Arrays.stream(leading.group().split("\\.")).mapToInt(Integer::parseInt).toArray();
        }
    }
}
