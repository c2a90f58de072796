package io.deltaagent.submit.emr;

import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Reads the result document (docs/JOB-RESULT.md) a job wrote to its {@code --result} URI on S3, with an S3 client
 * of its own.
 */
final class ResultDocuments implements AutoCloseable {

    private final S3Client s3;

    private ResultDocuments(S3Client s3) {
        this.s3 = s3;
    }

    static ResultDocuments open(AwsApiSettings api, AwsCredentialsProvider credentials) {
        return new ResultDocuments(AwsClients.s3(api, credentials));
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The document, or null when the job wrote none there (it failed before, or could not write it). */
    String read(String uri) {
        S3Location at = S3Location.parse(uri);
        try {
            String text = s3.getObjectAsBytes(b -> b.bucket(at.bucket()).key(at.key())).asString(StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? null : text;
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    /** A note for the outcome's message when the document could not be read for another reason. */
    String readOrNote(String uri, StringBuilder note) {
        try {
            return read(uri);
        } catch (SdkException e) {
            note.append("; its result document ").append(uri).append(" could not be read: ")
                    .append(AwsFailures.mask(e.getMessage()));
            return null;
        }
    }

    /**
     * The outcome of a job its service says succeeded, judged by the result document at {@code uri}
     * ({@link JobOutcome#judged}).
     *
     * @param job names the job in messages ("EMR step s-1 on cluster j-1")
     */
    JobOutcome succeeded(String job, Instant started, Supplier<Instant> now, String uri) {
        StringBuilder note = new StringBuilder();
        String json = readOrNote(uri, note);
        return JobOutcome.judged(job, JobState.SUCCEEDED, started, now.get(), json, null, uri, note.toString());
    }

    /** The outcome of a job stopped past its timeout ({@link JobOutcome#timedOut}), with its result document if any. */
    JobOutcome timedOut(java.time.Duration timeout, String how, Instant started, Supplier<Instant> now, String uri) {
        StringBuilder note = new StringBuilder();
        String json = readOrNote(uri, note);
        return JobOutcome.timedOut("the job", timeout, how + note, started, now.get(), json);
    }

    /** The outcome of a job that failed or was cancelled: {@code message}, with its result document if any. */
    JobOutcome ended(JobState state, Instant started, Supplier<Instant> now, String uri, String message) {
        StringBuilder note = new StringBuilder();
        String json = readOrNote(uri, note);
        return new JobOutcome(state, started, now.get(), json, message + note);
    }
}
