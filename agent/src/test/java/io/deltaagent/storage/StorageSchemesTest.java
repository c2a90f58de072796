package io.deltaagent.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schemes the agent reads, their Hadoop settings and credentials, and the errors for those it cannot. ABFS has no
 * local server (Azurite serves Blob, not the dfs endpoint): what runs here is its URI, its settings and its
 * credentials error; StorageSchemesAuditTest reads S3 and GCS tables for real.
 */
class StorageSchemesTest {

    private static final String ABFS_TABLE = "abfss://lake@deltaagenttest.dfs.core.windows.net/events";

    @Test
    void everyS3SchemeIsServedByS3AAndGsAndAbfsByTheirConnectors() throws Exception {
        Configuration conf = HadoopConfFactory.create(Map.of(), Map.of());
        for (String scheme : new String[] {"s3a", "s3", "s3n"}) {
            assertThat(FileSystem.getFileSystemClass(scheme, conf).getName()).as(scheme)
                    .isEqualTo("org.apache.hadoop.fs.s3a.S3AFileSystem");
        }
        assertThat(FileSystem.getFileSystemClass("gs", conf).getName()).isEqualTo("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem");
        assertThat(FileSystem.getFileSystemClass("abfss", conf).getName())
                .isEqualTo("org.apache.hadoop.fs.azurebfs.SecureAzureBlobFileSystem");
        assertThat(FileSystem.getFileSystemClass("abfs", conf).getName()).isEqualTo("org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem");
        assertThat(FileSystem.getFileSystemClass("hdfs", conf).getName()).isEqualTo("org.apache.hadoop.hdfs.DistributedFileSystem");
        // the config's own choice wins
        assertThat(HadoopConfFactory.create(Map.of("fs.s3.impl", "com.example.EmrFs"), Map.of()).get("fs.s3.impl"))
                .isEqualTo("com.example.EmrFs");
    }

    @Test
    void gcsAndAzureCredentialsComeFromTheEnvironmentUnlessTheConfigChoseAnAuthType() {
        Map<String, String> env = Map.of("GOOGLE_APPLICATION_CREDENTIALS", "/secrets/sa.json",
                "AZURE_STORAGE_ACCOUNT", "deltaagenttest", "AZURE_STORAGE_KEY", "c2VjcmV0",
                "AZURE_TENANT_ID", "tenant-1", "AZURE_CLIENT_ID", "client-1", "AZURE_CLIENT_SECRET", "s3cret");
        Configuration conf = HadoopConfFactory.create(Map.of(), env);
        assertThat(conf.get("fs.gs.auth.type")).isEqualTo("SERVICE_ACCOUNT_JSON_KEYFILE");
        assertThat(conf.get("fs.gs.auth.service.account.json.keyfile")).isEqualTo("/secrets/sa.json");
        assertThat(conf.get("fs.azure.account.key.deltaagenttest.dfs.core.windows.net")).isEqualTo("c2VjcmV0");
        assertThat(conf.get("fs.azure.account.auth.type")).isEqualTo("OAuth");
        assertThat(conf.get("fs.azure.account.oauth.provider.type"))
                .isEqualTo("org.apache.hadoop.fs.azurebfs.oauth2.ClientCredsTokenProvider");
        assertThat(conf.get("fs.azure.account.oauth2.client.endpoint")).isEqualTo("https://login.microsoftonline.com/tenant-1/oauth2/token");
        assertThat(conf.get("fs.azure.account.oauth2.client.id")).isEqualTo("client-1");
        assertThat(conf.get("fs.azure.account.oauth2.client.secret")).isEqualTo("s3cret");

        Configuration chosen = HadoopConfFactory.create(Map.of("fs.gs.auth.type", "APPLICATION_DEFAULT",
                "fs.azure.account.auth.type", "SharedKey"), env);
        assertThat(chosen.get("fs.gs.auth.type")).isEqualTo("APPLICATION_DEFAULT");
        assertThat(chosen.get("fs.gs.auth.service.account.json.keyfile")).isNull();
        assertThat(chosen.get("fs.azure.account.auth.type")).isEqualTo("SharedKey");
        assertThat(chosen.get("fs.azure.account.oauth2.client.secret")).isNull();
    }

    @Test
    void abfsWithoutUsableCredentialsSaysWhatToSetAndNeverPrintsTheKey() {
        CliRun none = CliRun.of(Map.of(), "audit", "--format", "json", ABFS_TABLE);
        assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCode.TABLE_FAILED);
        JsonNode error = none.json().get("tables").get(0).get("error");
        assertThat(error.get("kind").asText()).isEqualTo("ACCESS_DENIED");
        assertThat(error.get("message").asText()).startsWith(ABFS_TABLE + ": no usable credentials for the Azure storage account "
                + "deltaagenttest: set AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY").contains("AZURE_CLIENT_SECRET");

        // a key that is no key (not base64): hadoop-azure's own message quotes it
        CliRun bad = CliRun.of(Map.of("AZURE_STORAGE_ACCOUNT", "deltaagenttest", "AZURE_STORAGE_KEY", "not-a-key-9f8e7d!"),
                "audit", "--format", "json", ABFS_TABLE);
        assertThat(bad.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(bad.json().get("tables").get(0).get("error").get("message").asText()).contains("no usable credentials");
        assertThat(bad.out() + bad.err()).doesNotContain("not-a-key-9f8e7d");
    }

    @Test
    void aSchemeTheAgentCannotReadIsAUsageErrorNamingTheSupportedOnes(@TempDir Path tmp) throws Exception {
        CliRun run = CliRun.of("audit", "wasbs://lake@acct.blob.core.windows.net/events");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("wasbs://lake@acct.blob.core.windows.net/events: wasbs:// is not supported: ")
                .contains("abfss://CONTAINER@ACCOUNT.dfs.core.windows.net/PATH")
                .contains("file:, s3a://, s3://, s3n://, gs://, abfss://, abfs://, hdfs://");

        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "tables:\n  - path: oss://lake/events\n");
        CliRun configured = CliRun.of("audit", "--config", config.toString());
        assertThat(configured.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(configured.err()).contains(config.toString()).contains("oss:// is not supported");
    }
}
