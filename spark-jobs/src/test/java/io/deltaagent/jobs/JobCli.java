package io.deltaagent.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Drives {@link MaintenanceJob} in this JVM, as the command line would, and parses its result line. */
public final class JobCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobCli() {
    }

    /** One run: exit code, every stdout line, the parsed last line (null if not JSON), and the err stream. */
    public record Run(int exitCode, List<String> stdout, JsonNode result, String stderr) {
    }

    public static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = MaintenanceJob.run(args, o, e);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        return new Run(code, lines, last.startsWith("{") ? parse(last) : null, err.toString(StandardCharsets.UTF_8));
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
