package io.deltaagent.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.ImageRootfs;
import io.deltaagent.testing.Sboms;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image {@code mvn package} writes (target/delta-agent-image-VERSION.tar, Jib on scripts/image-base), run the
 * way a container runtime runs it but without one: its layers unpacked into a root filesystem ({@link ImageRootfs}),
 * its entrypoint started there as its user 10001 with its environment only. Needs root (chroot and mounts).
 */
class ImageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = System.getProperty("deltaagent.version");
    private static final int EXITED = -2;

    @TempDir
    static Path tmp;
    static ImageRootfs image;
    static String defaultConfig;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void unpack() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "unpacking an image with its owners and chroot need root");
        Path tar = Path.of(System.getProperty("deltaagent.image.tar"));
        assertThat(tar).as("mvn package builds it").isRegularFile();
        image = ImageRootfs.unpack(tar, tmp);
        defaultConfig = Files.readString(image.root().resolve("etc/delta-agent/agent.yaml"));
    }

    @Test
    void theImageRunsTheDaemonAsANonRootUserWithItsStateOwnedByItAndIsLabelled() throws Exception {
        JsonNode config = image.config();
        assertThat(config.get("User").asText()).isEqualTo("10001:10001");
        assertThat(config.get("Entrypoint").get(0).asText()).isEqualTo("java");
        assertThat(texts(config.get("Cmd"))).containsExactly("daemon", "--config", "/etc/delta-agent/agent.yaml", "--work-dir",
                "/var/lib/delta-agent/work");
        assertThat(texts(config.get("Env"))).contains("HOME=/var/lib/delta-agent", "PATH=/opt/java/bin:/usr/bin:/bin")
                .anyMatch(e -> e.startsWith("JDK_JAVA_OPTIONS=-Xmx512m"));
        JsonNode labels = config.get("Labels");
        assertThat(labels.get("org.opencontainers.image.licenses").asText()).isEqualTo("Apache-2.0");
        assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
        assertThat(labels.has("org.opencontainers.image.source")).isTrue();
        assertThat(defaultConfig).contains("http-address: 0.0.0.0:9464");

        Path root = image.root();
        assertThat(Files.getAttribute(root.resolve("var/lib/delta-agent"), "unix:uid")).isEqualTo(10001);
        assertThat((int) Files.getAttribute(root.resolve("tmp"), "unix:mode") & 07777).isEqualTo(01777);
        assertThat(Files.readString(root.resolve("etc/passwd"))).contains("delta-agent:x:10001:10001:");
        assertThat(Files.readString(root.resolve("etc/group"))).contains("delta-agent:x:10001:");
        // a real CA bundle (Debian's JDK links it; a dangling link or an empty store would trust nothing)
        Path cacerts = root.resolve("opt/java/lib/security/cacerts");
        assertThat(Files.isSymbolicLink(cacerts)).isFalse();
        KeyStore store = KeyStore.getInstance(cacerts.toFile(), (char[]) null);
        assertThat(store.size()).isGreaterThan(100);
        // the slim agent: no local backend's Spark runtime
        try (var files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName() == null ? "" : p.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("spark-core_")).noneMatch(n -> n.startsWith("delta-agent-spark-jobs"))
                    .anyMatch(n -> n.startsWith("picocli-"));
        }
    }

    @Test
    void theEntrypointPrintsItsVersionAndAuditsASparkWrittenTableInsideTheImage() throws Exception {
        // JDK_JAVA_OPTIONS replaces the image's JVM defaults, as DELTA_AGENT_JAVA_OPTS does for bin/delta-agent
        Run version = run(image.entrypoint("--version"), Map.of("JDK_JAVA_OPTIONS", "-Xmx256m -XX:+UseSerialGC"));
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out().trim()).isEqualTo("delta-agent " + VERSION);
        assertThat(version.err()).contains("Picked up JDK_JAVA_OPTIONS: -Xmx256m");

        Path data = Files.createDirectories(image.root().resolve("data"));
        Fixtures.copy("spark_partitioned_checkpoints", data);
        Files.writeString(data.resolve("audit.yaml"), "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");
        Run audit = run(image.entrypoint("audit", "--config", "/data/audit.yaml", "--format", "json",
                "/data/spark_partitioned_checkpoints"), Map.of());
        assertThat(audit.exit()).as(audit.err()).isEqualTo(3);
        JsonNode json = JSON.readTree(audit.out().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow());
        assertThat(json.get("agentVersion").asText()).isEqualTo(VERSION);
        assertThat(json.get("tables").get(0).get("health").get("files").get("activeFiles").asLong()).isEqualTo(150);
    }

    @Test
    void theDefaultCommandServesProbesAndStopsCleanlyOnSigterm() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // a mounted config, as users (and the Helm chart) put over the default
        Files.writeString(image.root().resolve("etc/delta-agent/agent.yaml"),
                defaultConfig.replace("0.0.0.0:9464", "127.0.0.1:" + port));
        List<String> argv = image.entrypoint(texts(image.config().get("Cmd")).toArray(String[]::new));
        Path out = tmp.resolve("daemon.out");
        Path err = tmp.resolve("daemon.err");
        Process daemon = image.command(argv, Map.of()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (String probe : List.of("/healthz", "/readyz")) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + probe))
                        .timeout(Duration.ofSeconds(5)).build();
                int status = Eventually.await(probe + " (daemon log: " + err + ")", Duration.ofSeconds(90), () -> {
                    if (!daemon.isAlive()) {
                        return EXITED;
                    }
                    try {
                        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (java.io.IOException e) {
                        return -1;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }, s -> s == 200 || s == EXITED);
                assertThat(status).as("the daemon exited").isEqualTo(200);
            }
            // its state where the image says (/var/lib/delta-agent, the service's state directory), written as its user
            // without a volume
            assertThat(image.root().resolve("var/lib/delta-agent/history.mv.db")).isRegularFile();
            assertThat(Files.getAttribute(image.root().resolve("var/lib/delta-agent/history.mv.db"), "unix:uid"))
                    .isEqualTo(10001);

            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("stops within the shutdown grace").isTrue();
            assertThat(daemon.exitValue()).as(read(err)).isZero();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\ndaemon's stderr:\n" + read(err), e);
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void theImageCarriesSbomsOfItsJarsItsJreAndItsCLibraries() throws Exception {
        Path sboms = image.root().resolve("app/sbom");
        Sboms.listsEveryJar(sboms.resolve("delta-agent-sbom.json"), image.root().resolve("app/libs"), "picocli", "jackson-core");
        JsonNode base = Sboms.read(sboms.resolve("image-base.cdx.json"));
        String release = Files.readString(image.root().resolve("opt/java/release"));
        List<String> components = new java.util.ArrayList<>();
        base.get("components").forEach(c -> components.add(c.get("name").asText() + " " + c.get("version").asText()));
        assertThat(components).anyMatch(c -> c.startsWith("glibc 2.")).anyMatch(c -> c.startsWith("ca-certificates-java "))
                .anyMatch(c -> c.startsWith("openjdk-jre ") && release.contains("JAVA_VERSION=\"" + c.substring("openjdk-jre ".length()) + "\""));
    }

    @Test
    void aTableOnTheLocalBackendIsRefusedByNameSinceTheImageHasNoSparkRuntime() throws Exception {
        Path etc = image.root().resolve("etc/delta-agent");
        Files.writeString(etc.resolve("local-table.yaml"), "tables:\n  - path: /data/events\n");
        Run daemon = run(image.entrypoint("daemon", "--config", "/etc/delta-agent/local-table.yaml"), Map.of());
        assertThat(daemon.exit()).as(daemon.err()).isEqualTo(2);
        assertThat(daemon.err()).contains("backend local is not available").contains("backends.local.spark-jobs-dir");
    }

    private static Run run(List<String> argv, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = image.command(argv, env).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }
}
