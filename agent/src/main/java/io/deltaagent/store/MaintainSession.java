package io.deltaagent.store;

import java.time.Instant;

/**
 * A detached {@code maintain} as recorded (maintain_session): the background agent process that runs it and, once it
 * ended, its exit code and result document.
 *
 * @param owner the background process, {@code cli:<host>:<pid>}
 * @param endedAt null while it runs
 * @param exitCode the process's exit code once ended, else null
 * @param logPath where the process's stderr (and stdout) go, on its host
 * @param document the maintain result document (JSON) once ended, null when it ended before it had one (bad usage)
 * @param cancelRequestedAt when {@code session --cancel} asked it to stop, or null
 */
public record MaintainSession(String id, String owner, Instant startedAt, Instant endedAt, Integer exitCode, String logPath,
                              String document, Instant cancelRequestedAt) {

    public boolean ended() {
        return endedAt != null;
    }
}
