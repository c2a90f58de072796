package io.deltaagent.jobs.request;

/** Write a checkpoint at the latest version, then let Delta remove expired log files. */
public record CheckpointRequest(String table) implements JobRequest {
    public CheckpointRequest {
        table = JobRequest.requireTable(table);
    }

    @Override
    public String action() {
        return "checkpoint";
    }
}
