package io.deltaagent.submit.databricks;

import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.files.DownloadResponse;
import com.databricks.sdk.service.files.FilesAPI;
import com.databricks.sdk.service.jobs.BaseRun;
import com.databricks.sdk.service.jobs.CancelRun;
import com.databricks.sdk.service.jobs.GetRunRequest;
import com.databricks.sdk.service.jobs.JobsAPI;
import com.databricks.sdk.service.jobs.ListRunsRequest;
import com.databricks.sdk.service.jobs.Run;
import com.databricks.sdk.service.jobs.RunTask;
import com.databricks.sdk.service.jobs.RunType;
import com.databricks.sdk.service.jobs.SubmitRun;
import com.databricks.sdk.service.jobs.SubmitRunResponse;
import io.deltaagent.submit.BackendException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The four Databricks calls the backend makes, through the SDK, with its failures turned into
 * {@link BackendException}s that start with {@code databricks <host>: <table>:} and never carry a credential.
 * 429, 5xx and network failures are retryable (after the SDK's own bounded retries, see {@link BoundedRetries});
 * other 4xx (bad settings, bad or missing credentials, no permission) are not. An interrupt while the SDK waits
 * to retry surfaces as {@link InterruptedException}.
 *
 * <p>The SDK client is built on first use, so a missing credential is reported when a job needs Databricks,
 * not when the agent starts.
 */
final class DatabricksApi {

    private static final int DEFAULT_HTTP_TIMEOUT_SECONDS = 60;

    private final String host;
    private final DatabricksConfig config;
    private final BoundedRetries retries;
    private JobsAPI jobs;
    private FilesAPI files;
    private List<String> secrets = List.of();

    /** @param config unresolved SDK config; the host is set from the settings, credentials from the auth chain */
    DatabricksApi(String host, DatabricksConfig config, BoundedRetries retries) {
        this.host = Objects.requireNonNull(host, "host");
        this.config = Objects.requireNonNull(config, "config");
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    long submit(String table, SubmitRun request) throws InterruptedException {
        SubmitRunResponse response = call(table, "jobs/runs/submit", () -> client().submit(request).getResponse());
        if (response == null || response.getRunId() == null) {
            throw new BackendException(prefix(table) + "jobs/runs/submit answered without a run_id", true);
        }
        return response.getRunId();
    }

    Run getRun(String table, long runId) throws InterruptedException {
        return call(table, "jobs/runs/get of run " + runId, () -> client().getRun(new GetRunRequest().setRunId(runId)));
    }

    /**
     * The one-time run started since {@code startTimeFrom} (epoch ms) whose task writes its result to {@code resultPath}
     * (the job's idempotency token names that file), as {@code jobs/runs/list} of SUBMIT_RUN runs with their tasks shows
     * it; empty when there is none (the job never started). Pages through the whole list.
     */
    Optional<Long> findRun(String table, String resultPath, long startTimeFrom) throws InterruptedException {
        return call(table, "jobs/runs/list", () -> {
            for (BaseRun run : client().listRuns(new ListRunsRequest().setRunType(RunType.SUBMIT_RUN).setExpandTasks(true)
                    .setStartTimeFrom(startTimeFrom))) {
                if (run.getTasks() == null) {
                    continue;
                }
                for (RunTask task : run.getTasks()) {
                    if (task.getSparkJarTask() != null && task.getSparkJarTask().getParameters() != null
                            && task.getSparkJarTask().getParameters().contains(resultPath)) {
                        return Optional.of(run.getRunId());
                    }
                }
            }
            return Optional.<Long>empty();
        });
    }

    void cancel(String table, long runId) throws InterruptedException {
        call(table, "jobs/runs/cancel of run " + runId, () -> {
            client().cancelRun(new CancelRun().setRunId(runId)); // not waiting: the poll loop sees the end
            return null;
        });
    }

    /** The file's text, or empty when it does not exist (404). */
    Optional<String> download(String table, String path) throws InterruptedException {
        try {
            return Optional.of(call(table, "download of " + path, () -> {
                DownloadResponse response = filesClient().download(path);
                try (InputStream in = response.getContents()) {
                    return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    String host() {
        return host;
    }

    String prefix(String table) {
        return "databricks " + host + ": " + table + ": ";
    }

    private synchronized JobsAPI client() {
        init();
        return jobs;
    }

    private synchronized FilesAPI filesClient() {
        init();
        return files;
    }

    private void init() {
        if (jobs != null) {
            return;
        }
        config.setHost(host);
        if (config.getHttpTimeoutSeconds() == null) {
            config.setHttpTimeoutSeconds(DEFAULT_HTTP_TIMEOUT_SECONDS); // the SDK's 300 s would stall shutdown
        }
        try {
            config.resolve();
            config.authenticate(); // find the credentials now, to report them as a settings problem
        } catch (DatabricksException e) {
            secrets = secretsOf(config);
            throw new CredentialsMissing(e);
        }
        secrets = secretsOf(config);
        ApiClient api = new ApiClient.Builder().withDatabricksConfig(config).withTimer(retries)
                .withRetryStrategyPicker(retries).build();
        jobs = new JobsAPI(api);
        files = new FilesAPI(api);
    }

    private interface Action<T> {
        T run();
    }

    private <T> T call(String table, String what, Action<T> action) throws InterruptedException {
        retries.startCall();
        try {
            return action.run();
        } catch (CredentialsMissing e) {
            // an unreachable token endpoint (OAuth) is an outage, not a settings problem
            boolean outage = isOutage(e.getCause());
            throw new BackendException(prefix(table) + (outage ? "cannot obtain credentials: " : "no usable credentials: ")
                    + redact(e.getCause().getMessage()) + (outage ? "" : ". Provide them through DATABRICKS_TOKEN, "
                    + "DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET, or a ~/.databrickscfg profile "
                    + "(DATABRICKS_CONFIG_PROFILE)"), outage);
        } catch (BoundedRetries.BudgetExhausted e) {
            throw new BackendException(prefix(table) + what + " failed: " + describe(e.lastError) + "; a further retry "
                    + "would wait " + e.wantedMillis / 1000 + " s after " + e.waitedMillis / 1000 + " s already, beyond the "
                    + DatabricksSettings.PREFIX + "api-retry-budget of " + e.budgetMillis / 1000 + " s; try again later", true);
        } catch (DatabricksException e) {
            if (Thread.interrupted()) { // the SDK swallowed an interrupt during its retry wait
                InterruptedException interrupted = new InterruptedException(prefix(table) + what + " interrupted");
                interrupted.initCause(e);
                throw interrupted;
            }
            DatabricksError error = errorOf(e);
            int status = error == null ? -1 : error.getStatusCode();
            if (status == 404 && what.startsWith("download")) {
                throw new NotFound();
            }
            boolean retryable = status < 0 || status == 429 || status >= 500;
            String hint = switch (status) {
                case 401 -> "; check the credentials the Databricks SDK found (DATABRICKS_TOKEN, DATABRICKS_CLIENT_ID/"
                        + "DATABRICKS_CLIENT_SECRET, ~/.databrickscfg)";
                case 403 -> "; the identity the Databricks SDK authenticated as lacks the permission (or its credentials "
                        + "are invalid)";
                case 400 -> "; check the " + DatabricksSettings.PREFIX + "* settings";
                default -> e != error && error != null ? " (after the SDK's retries)" : "";
            };
            throw new BackendException(prefix(table) + what + " failed: " + (error == null ? redact(e.getMessage())
                    : describe(error)) + hint, retryable);
        } catch (UncheckedIOException e) {
            throw new BackendException(prefix(table) + what + " failed: " + redact(e.getCause().toString()), true);
        }
    }

    private String describe(DatabricksError error) {
        if (error == null) {
            return "no answer";
        }
        StringBuilder s = new StringBuilder("HTTP ").append(error.getStatusCode());
        if (error.getErrorCode() != null && !error.getErrorCode().isBlank()) {
            s.append(' ').append(error.getErrorCode());
        }
        String message = error.getMessage();
        if (error.getCause() != null && (message == null || message.equals(error.getErrorCode()))) {
            message = error.getCause().toString();
        }
        if (message != null && !message.isBlank() && !message.equals(error.getErrorCode())) {
            s.append(": ").append(redact(message.strip()));
        }
        return s.toString();
    }

    private static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException
                    || t instanceof DatabricksError error && (error.getStatusCode() == 429 || error.getStatusCode() >= 500)) {
                return true;
            }
        }
        return false;
    }

    private static DatabricksError errorOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DatabricksError error) {
                return error;
            }
        }
        return null;
    }

    /** Belt and braces: the SDK masks secrets in its own messages, but no message of ours may carry one. */
    private String redact(String message) {
        if (message == null) {
            return null;
        }
        String out = message;
        for (String secret : secrets) {
            out = out.replace(secret, "***");
        }
        return out;
    }

    private static List<String> secretsOf(DatabricksConfig config) {
        List<String> found = new ArrayList<>();
        Stream.of(config.getToken(), config.getClientSecret(), config.getPassword(), config.getAzureClientSecret(),
                        config.getGoogleCredentials())
                .filter(s -> s != null && s.length() >= 4)
                .forEach(found::add);
        return List.copyOf(found);
    }

    private static final class CredentialsMissing extends RuntimeException {
        CredentialsMissing(DatabricksException cause) {
            super(cause);
        }
    }

    private static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }
}
