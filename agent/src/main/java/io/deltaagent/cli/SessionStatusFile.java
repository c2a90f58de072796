package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A session's status as a JSON file beside its log ({@code ID.status.json}, the document {@code session ID --format json}
 * prints), written when the session starts and when it ends. An Airflow trigger on the same host reads it instead of
 * starting a JVM for every poll: an embedded H2 history is one process's at a time, and a file read costs microseconds.
 * Replaced atomically (a temporary file moved over it), so a reader sees the old document or the new one, never half.
 * The history database stays the record: a file that cannot be written costs a warning, never the maintain.
 */
final class SessionStatusFile {

    private SessionStatusFile() {
    }

    /** Writes {@code status} to {@code file}; on failure says so on {@code err} and carries on. */
    static void write(Path file, SessionStatus status, PrintStream err) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(tmp, Json.MAPPER.writeValueAsString(status) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the session", e);
        } catch (IOException e) {
            err.println("delta-agent: session " + status.session() + ": cannot write its status file " + file + " ("
                    + e.getMessage() + "); 'delta-agent session " + status.session() + "' still reports it");
        }
    }
}
