package io.deltaagent.submit.emr;

import io.deltaagent.jobs.result.ErrorInfo;
import io.deltaagent.jobs.result.JobResult;
import io.deltaagent.jobs.result.ResultJson;
import io.deltaagent.jobs.result.Status;
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

    /** The document of a small OPTIMIZE or a failed run, written by the jobs' own code (spark-jobs/job-contract). */
    static String document(String action, String table, boolean succeeded) {
        Instant now = Instant.now();
        JobResult.Builder d = JobResult.builder().action(action).table(table).status(succeeded ? Status.SUCCEEDED : Status.FAILED)
                .versionBefore(7L).partitionColumns(List.of("event_date")).zOrderBy(List.of()).attempts(1)
                .timing(now.minusSeconds(35).toString(), now.toString(), 34724).sparkApplicationId("application_1795813996478_0001");
        if (succeeded) {
            d.versionAfter(8L).commitVersion(8L).files(150L, 2L).bytes(872214L, 654110L).partitionsOptimized(2L);
        } else {
            d.error(new ErrorInfo("org.apache.spark.SparkException", table + ": Job aborted due to stage failure", false, null));
        }
        return ResultJson.toLine(d.build());
    }

    @Override
    public void close() {
        s3.close();
    }
}
