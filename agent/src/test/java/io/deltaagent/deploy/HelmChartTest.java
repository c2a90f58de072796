package io.deltaagent.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/helm/delta-agent: {@code helm lint}, {@code helm template} with each values file of deploy/helm/ci, and the
 * rendered manifests validated by kubernetes-validate against the Kubernetes 1.37 schemas (strict: unknown fields
 * fail). The tools come from scripts/install-deploy-tools (run by scripts/install-deps).
 */
class HelmChartTest {

    private static final Path REPO = Paths.get(System.getProperty("deltaagent.repo.dir", "..")).toAbsolutePath().normalize();
    private static final Path CHART = REPO.resolve("deploy/helm/delta-agent");
    private static final Path CI_VALUES = REPO.resolve("deploy/helm/ci");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private record Result(int exit, String out, String err) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "embedded-h2.yaml", "postgres-ha.yaml"})
    void theChartLintsRendersAndValidatesAgainstTheKubernetesSchemas(String values, @TempDir Path tmp) throws Exception {
        List<String> valuesArgs = values.isEmpty() ? List.of() : List.of("-f", CI_VALUES.resolve(values).toString());
        Result lint = run(null, concat(List.of(tool("helm"), "lint", "--strict", CHART.toString()), valuesArgs));
        assertThat(lint.exit()).as("helm lint: %s%s", lint.out(), lint.err()).isZero();

        Result template = run(null, concat(List.of(tool("helm"), "template", "agent", CHART.toString()), valuesArgs));
        assertThat(template.exit()).as("helm template: %s", template.err()).isZero();
        Path manifests = tmp.resolve("manifests.yaml");
        Files.writeString(manifests, template.out());
        // the Prometheus Operator's kinds have no schema among Kubernetes' own: their shape is asserted below
        Result validate = run(null, List.of(tool("venv/bin/kubernetes-validate"), "--strict", "-k", "1.37.0", manifests.toString()));
        String report = validate.out() + validate.err();
        assertThat(validate.exit()).as("kubernetes-validate: %s", report).isZero();
        assertThat(report).contains("passed for resource deployment/", "passed for resource configmap/",
                "passed for resource service/").doesNotContain("ERROR");

        List<JsonNode> docs = parse(template.out());
        JsonNode deployment = kind(docs, "Deployment").orElseThrow();
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode agent = pod.at("/containers/0");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(agent.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(agent.at("/args/0").asText()).isEqualTo("daemon");
        assertThat(agent.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(agent.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(agent.at("/resources/requests/memory").isMissingNode()).isFalse();
        // the mounted config listens where the probes and the Service look
        JsonNode config = YAML.readTree(kind(docs, "ConfigMap").orElseThrow().at("/data/agent.yaml").asText());
        assertThat(config.at("/daemon/http-address").asText()).isEqualTo("0.0.0.0:9464");
        // no secret value anywhere in what the chart renders: credentials are Secret references only
        assertThat(template.out()).doesNotContainIgnoringCase("password:").doesNotContain("kind: Secret");

        if (values.equals("postgres-ha.yaml")) {
            assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
            assertThat(agent.at("/args").toString()).contains("--history-db", "jdbc:postgresql://postgres.db.svc:5432/agent");
            assertThat(agent.at("/env").toString()).contains("DELTA_AGENT_DB_PASSWORD", "secretKeyRef", "delta-agent-db");
            assertThat(config.at("/daemon/http-token-env").asText()).isEqualTo("DELTA_AGENT_HTTP_TOKEN");
            assertThat(kind(docs, "ServiceMonitor")).isPresent();
            JsonNode rules = kind(docs, "PrometheusRule").orElseThrow().at("/spec/groups/0/rules");
            List<String> alerts = new ArrayList<>();
            rules.forEach(r -> alerts.add(r.at("/alert").asText()));
            assertThat(alerts).contains("DeltaAgentTableNotAudited", "DeltaAgentAuditsTimingOut",
                    "DeltaAgentBackendCircuitOpen", "DeltaAgentRunsFailing", "DeltaAgentRunsDeviating");
            // several replicas: per-table and per-backend series come once per daemon, so the rules take max, never sum
            rules.forEach(r -> {
                String expr = r.at("/expr").asText();
                if (expr.contains("deltaagent_backend_circuit_state")) {
                    assertThat(expr).as(r.at("/alert").asText())
                            .contains("max by (backend) (deltaagent_backend_circuit_state{state=\"open\"})");
                }
                if (expr.contains("deltaagent_table_")) {
                    assertThat(expr).as(r.at("/alert").asText()).contains("max by (table) (deltaagent_table_");
                }
            });
            // without a reload sidecar, a config change rolls the pods
            assertThat(deployment.at("/spec/template/metadata/annotations/checksum~1config").asText()).hasSize(64);
        } else {
            // one daemon owns an embedded history: never two at once, even during a rollout
            assertThat(deployment.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
            assertThat(pod.at("/shareProcessNamespace").asBoolean()).isTrue();
            assertThat(pod.at("/containers/1/name").asText()).isEqualTo("config-reload");
        }
    }

    @Test
    void severalReplicasWithoutPostgresqlAreRefusedNamingTheValueToSet() throws Exception {
        Result template = run(null, List.of(tool("helm"), "template", "agent", CHART.toString(),
                "-f", CI_VALUES.resolve("invalid-replicas-h2.yaml").toString()));
        assertThat(template.exit()).isNotZero();
        assertThat(template.err()).contains("replicaCount=2 needs history.postgresql.url");
    }

    @Test
    void credentialsInTheDatabaseUrlAreRefused() throws Exception {
        Result template = run(null, List.of(tool("helm"), "template", "agent", CHART.toString(),
                "--set", "history.postgresql.url=jdbc:postgresql://agent:s3cret@db:5432/agent",
                "--set", "history.postgresql.existingSecret=db"));
        assertThat(template.exit()).isNotZero();
        assertThat(template.err()).contains("history.postgresql.url holds credentials");
    }

    private static Optional<JsonNode> kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst();
    }

    private static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static Path toolsDir() {
        String dir = System.getenv("DELTA_AGENT_TOOLS");
        return dir != null ? Paths.get(dir) : Paths.get(System.getProperty("user.home"), ".cache", "delta-agent", "tools");
    }

    private static String tool(String name) {
        Path path = toolsDir().resolve(name.contains("/") ? name : "bin/" + name);
        assertThat(path).as("%s is missing: run scripts/install-deps (or scripts/install-deploy-tools)", path).isExecutable();
        return path.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Result run(Path dir, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path err = Files.createTempFile("helm", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String errText = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, errText);
    }
}
