package io.deltaagent.submit.emr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.testing.S3TestServer;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Plays the job's part for the stubs: writes a result document in the docs/JOB-RESULT.md shape to the job's
 * {@code --result} URI on the S3 test server, as MaintenanceJob does when its run ends.
 */
final class JobResultWriter implements AutoCloseable {

    private final S3Client s3;

    JobResultWriter(S3TestServer server) {
        s3 = S3Client.builder()
                .region(Region.of(S3TestServer.REGION))
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .build();
    }

    /** Writes the document for the job whose command line is {@code args}; returns what was written. */
    String write(List<String> args, boolean succeeded) {
        String resultUri = args.get(args.indexOf("--result") + 1);
        String doc = document(args.get(0), args.get(args.indexOf("--table") + 1), succeeded);
        S3Location at = S3Location.parse(resultUri);
        s3.putObject(b -> b.bucket(at.bucket()).key(at.key()), RequestBody.fromString(doc + "\n"));
        return doc;
    }

    /** Every key of schemaVersion 1, in its order; the values of a small OPTIMIZE or a failed run. */
    static String document(String action, String table, boolean succeeded) {
        Instant now = Instant.now();
        ObjectNode d = AwsStubServer.JSON.createObjectNode();
        d.put("schemaVersion", 1).put("action", action).put("table", table).put("status", succeeded ? "SUCCEEDED" : "FAILED");
        d.put("versionBefore", 7);
        if (succeeded) {
            d.put("versionAfter", 8).put("commitVersion", 8).put("filesRemoved", 150).put("filesAdded", 2)
                    .put("bytesRemoved", 872214).put("bytesAdded", 654110);
        } else {
            d.putNull("versionAfter").putNull("commitVersion").putNull("filesRemoved").putNull("filesAdded")
                    .putNull("bytesRemoved").putNull("bytesAdded");
        }
        d.putArray("partitionColumns").add("event_date");
        d.putNull("where");
        d.putArray("zOrderBy");
        if (succeeded) {
            d.put("partitionsOptimized", 2);
        } else {
            d.putNull("partitionsOptimized");
        }
        d.putNull("log").putNull("vacuum");
        d.put("attempts", 1).put("durationMs", 34724).put("startedAt", now.minusSeconds(35).toString()).put("endedAt", now.toString());
        d.put("sparkApplicationId", "application_1795813996478_0001");
        if (succeeded) {
            d.putNull("error");
        } else {
            d.putObject("error").put("class", "org.apache.spark.SparkException").put("message", table + ": Job aborted due to stage failure")
                    .put("retryable", false).putNull("cause");
        }
        return d.toString();
    }

    @Override
    public void close() {
        s3.close();
    }
}
