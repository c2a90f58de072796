package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.maintain.RunOwner;
import io.deltaagent.store.MaintainSession;
import io.deltaagent.store.SessionRun;
import java.time.Instant;
import java.util.List;

/**
 * A detached maintain as {@code delta-agent session} shows it. {@code state} is RUNNING, ENDED, or LOST: its process
 * (on this host) is gone without ending the session. A process on another host counts as running: this one cannot see it.
 */
record SessionStatus(int schemaVersion, String command, String session, String state, String owner, Instant startedAt,
                     Instant endedAt, Integer exitCode, JsonNode result, List<SessionRun> runs, String log,
                     Instant cancelRequestedAt, String message) {

    static SessionStatus of(MaintainSession s, List<SessionRun> runs, String message) {
        String state;
        String why = message;
        if (s.ended()) {
            state = "ENDED";
        } else if (RunOwner.gone(s.owner(), s.startedAt())) {
            state = "LOST";
            why = join(message, "the agent process " + s.owner() + " is gone without ending the session (killed, or its host "
                    + "restarted); its runs are settled by the next maintain; its log: " + s.logPath());
        } else {
            state = "RUNNING";
            String host = RunOwner.host(s.owner());
            if (RunOwner.localPid(s.owner()).isEmpty() && host != null) {
                why = join(message, "runs on host " + host);
            }
        }
        return new SessionStatus(JsonAuditWriter.SCHEMA_VERSION, "session", s.id(), state, s.owner(), s.startedAt(), s.endedAt(),
                s.exitCode(), Json.treeOrNull(s.document()), runs, s.logPath(), s.cancelRequestedAt(), why);
    }

    private static String join(String a, String b) {
        return a == null ? b : a + "; " + b;
    }

}
