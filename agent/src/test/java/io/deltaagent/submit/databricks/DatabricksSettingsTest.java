package io.deltaagent.submit.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.ConfigException;
import io.deltaagent.submit.ClusterSizing;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabricksSettingsTest {

    private static final String HOST = "https://dbc-1234.cloud.databricks.com";
    private static final String JAR = "/Volumes/main/ops/delta_agent/jars/delta-agent-spark-jobs.jar";
    private static final String RESULTS = "/Volumes/main/ops/delta_agent/results";

    private static DatabricksSettings.Builder base() {
        return DatabricksSettings.builder(HOST, "15.4.x-scala2.12", JAR, RESULTS).nodeTypeId("i3.xlarge");
    }

    @Test
    void defaultsArePinned() {
        DatabricksSettings s = base().build();
        assertThat(s.host()).isEqualTo(HOST);
        assertThat(s.availability()).isEqualTo(DatabricksSettings.Availability.SPOT_WITH_FALLBACK);
        assertThat(s.dataSecurityMode()).isEqualTo("SINGLE_USER");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.apiRetryBudget()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.runNamePrefix()).isEqualTo("delta-agent");
        assertThat(s.sizing()).isEqualTo(ClusterSizing.DEFAULT);
        assertThat(s.customTags()).isEmpty();
        assertThat(s.sparkConf()).isEmpty();
        assertThat(s.policyId()).isNull();
        assertThat(s.driverNodeTypeId()).isNull();
        assertThat(s.instancePoolId()).isNull();
        assertThat(s.sendsAwsAttributes()).isTrue();
    }

    @Test
    void aTrailingSlashOnHostAndResultDirIsDropped() {
        DatabricksSettings s = DatabricksSettings.builder(HOST + "/", "15.4.x-scala2.12", JAR, RESULTS + "/")
                .nodeTypeId("i3.xlarge").build();
        assertThat(s.host()).isEqualTo(HOST);
        assertThat(s.resultDir()).isEqualTo(RESULTS);
    }

    @Test
    void aPoolAndANodeTypeTogetherAreRefusedAsDatabricksRefusesThem() {
        assertThatThrownBy(() -> base().instancePoolId("pool-1").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("backends.databricks.instance-pool-id: is set together with "
                        + "backends.databricks.node-type-id");
    }

    @Test
    void neitherPoolNorNodeTypeIsRefused() {
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, "15.4.x-scala2.12", JAR, RESULTS).build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("backends.databricks.node-type-id: is missing");
    }

    @Test
    void driverSettingsMustMatchTheWorkerChoice() {
        assertThatThrownBy(() -> base().driverInstancePoolId("pool-d").build())
                .hasMessageStartingWith("backends.databricks.driver-instance-pool-id: needs backends.databricks.instance-pool-id");
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, "15.4.x-scala2.12", JAR, RESULTS)
                .instancePoolId("pool-1").driverNodeTypeId("r5.large").build())
                .hasMessageStartingWith("backends.databricks.driver-node-type-id: cannot be used with "
                        + "backends.databricks.instance-pool-id");
    }

    @Test
    void aPoolClusterSendsNoAwsAvailability() {
        DatabricksSettings s = DatabricksSettings.builder(HOST, "15.4.x-scala2.12", JAR, RESULTS).instancePoolId("p").build();
        assertThat(s.sendsAwsAttributes()).isFalse();
        assertThat(base().availability(DatabricksSettings.Availability.UNSET).build().sendsAwsAttributes()).isFalse();
    }

    @Test
    void theHostMustBeHttpsExceptOnLoopback() {
        assertThatThrownBy(() -> DatabricksSettings.builder("http://dbc-1234.cloud.databricks.com", "15.4.x-scala2.12",
                JAR, RESULTS).nodeTypeId("i3.xlarge").build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("backends.databricks.host: 'http://dbc-1234.cloud.databricks.com' must use https "
                        + "(plain http only for 127.0.0.1 or localhost)");
        assertThat(DatabricksSettings.builder("http://127.0.0.1:8080", "v", JAR, RESULTS).nodeTypeId("n").build().host())
                .isEqualTo("http://127.0.0.1:8080");
        assertThat(DatabricksSettings.builder("http://localhost:8080", "v", JAR, RESULTS).nodeTypeId("n").build().host())
                .isEqualTo("http://localhost:8080");
    }

    @Test
    void aHostWithCredentialsIsRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> DatabricksSettings.builder("https://token:dapiSECRET@dbc-1.cloud.databricks.com",
                "15.4.x-scala2.12", JAR, RESULTS).nodeTypeId("i3.xlarge").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("backends.databricks.host: must not carry user info")
                .hasMessageNotContaining("dapiSECRET");
    }

    @Test
    void aHostMustBeAWorkspaceUrl() {
        assertThatThrownBy(() -> DatabricksSettings.builder("dbc-1234.cloud.databricks.com", "v", JAR, RESULTS)
                .nodeTypeId("n").build()).hasMessageStartingWith("backends.databricks.host: 'dbc-1234.cloud.databricks.com' must be a workspace URL");
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST + "/api/2.2", "v", JAR, RESULTS).nodeTypeId("n").build())
                .hasMessageEndingWith("must be the workspace URL alone, without a path or query");
        assertThatThrownBy(() -> DatabricksSettings.builder(" ", "v", JAR, RESULTS).nodeTypeId("n").build())
                .hasMessage("backends.databricks.host: is missing: set it to the workspace URL, or DATABRICKS_HOST in the agent's environment");
    }

    @Test
    void theResultDirMustBeAVolume() {
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, "v", JAR, "dbfs:/tmp/results").nodeTypeId("n").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("backends.databricks.result-dir: 'dbfs:/tmp/results' must be a Unity Catalog volume directory");
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, "v", JAR, "/Volumes/main").nodeTypeId("n").build())
                .hasMessageStartingWith("backends.databricks.result-dir:");
    }

    @Test
    void theJobsJarMustBeAJarWhereClustersCanReadIt() {
        assertThat(DatabricksSettings.builder(HOST, "v", "s3://bucket/jars/jobs.jar", RESULTS).nodeTypeId("n").build().jobsJar())
                .isEqualTo("s3://bucket/jars/jobs.jar");
        assertThat(DatabricksSettings.builder(HOST, "v", "dbfs:/jars/jobs.jar", RESULTS).nodeTypeId("n").build().jobsJar())
                .isEqualTo("dbfs:/jars/jobs.jar");
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, "v", "/home/me/jobs.jar", RESULTS).nodeTypeId("n").build())
                .hasMessageStartingWith("backends.databricks.jobs-jar: '/home/me/jobs.jar' must be the spark-jobs jar");
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, "v", "s3://bucket/jars/", RESULTS).nodeTypeId("n").build())
                .hasMessageStartingWith("backends.databricks.jobs-jar:");
    }

    @Test
    void pollingAWorkspaceFasterThanEveryFiveSecondsIsRefused() {
        assertThatThrownBy(() -> base().pollInterval(Duration.ofSeconds(1)).build())
                .hasMessageStartingWith("backends.databricks.poll-interval: is 1000 ms; poll a workspace at most every 5 s");
        assertThat(base().pollInterval(Duration.ofSeconds(5)).build().pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> base().pollInterval(Duration.ZERO).build())
                .hasMessageStartingWith("backends.databricks.poll-interval: must be positive");
        assertThatThrownBy(() -> base().apiRetryBudget(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("backends.databricks.api-retry-budget: must be positive");
    }

    @Test
    void theAgentsOwnTagsCannotBeOverridden() {
        assertThatThrownBy(() -> base().customTags(Map.of("delta-agent-table", "x")).build())
                .hasMessageStartingWith("backends.databricks.custom-tags: 'delta-agent-table' is set by the agent");
    }

    @Test
    void anUnknownAccessModeIsRefusedWithTheValidOnes() {
        assertThat(base().dataSecurityMode("user_isolation").build().dataSecurityMode()).isEqualTo("USER_ISOLATION");
        assertThatThrownBy(() -> base().dataSecurityMode("shared").build())
                .hasMessageStartingWith("backends.databricks.data-security-mode: 'SHARED' is not one of [")
                .hasMessageContaining("SINGLE_USER");
    }

    @Test
    void sparkVersionIsRequired() {
        assertThatThrownBy(() -> DatabricksSettings.builder(HOST, null, JAR, RESULTS).nodeTypeId("n").build())
                .hasMessage("backends.databricks.spark-version: is missing");
    }
}
