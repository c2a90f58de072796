package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * With {@code --format json}, a command that ends in bad usage or config (2) or a transient failure (75) before it
 * wrote its result document puts one JSON document on stdout, so a caller that parses stdout learns why as well as the
 * person reading stderr: {@code {"schemaVersion":1,"command":"history","exitCode":75,"error":{"kind":"TRANSIENT",
 * "message":"...","setting":"--history-db","table":null}}}. The message is the error line the command printed on
 * stderr, without its {@code delta-agent: } prefix (already redacted).
 */
final class ErrorDocument {

    /** What kind of failure ended the command, by its exit code. */
    enum Kind { USAGE, TRANSIENT }

    record Error(Kind kind, String message, String setting, String table) {
    }

    record Document(int schemaVersion, String command, int exitCode, Error error) {
    }

    private static final String PREFIX = "delta-agent: ";
    /** "TABLE x: ..." (a table argument refused) */
    private static final Pattern TABLE = Pattern.compile("^TABLE (\\S+): ");

    private final Tap out;
    private final Tap err;
    /** The option picocli refused, if it was one. */
    private String setting;

    private ErrorDocument(Tap out, Tap err) {
        this.out = out;
        this.err = err;
    }

    /** Watches {@code out} (was anything written?) and {@code err} (its last error line) of one CLI run. */
    static ErrorDocument watch(OutputStream out, OutputStream err) {
        return new ErrorDocument(new Tap(out), new Tap(err));
    }

    OutputStream out() {
        return out;
    }

    OutputStream err() {
        return err;
    }

    /** The option a parse error names (--limit, --history-db, ...). */
    void setting(String option) {
        this.setting = option;
    }

    /** Writes the document to {@code stdout} when the run asked for JSON, ended in 2 or 75 and wrote nothing to stdout. */
    void writeIfDue(List<String> args, Set<String> commands, int exitCode, PrintStream stdout) {
        if ((exitCode != ExitCode.USAGE && exitCode != ExitCode.TRANSIENT) || out.written || !asksForJson(args)) {
            return;
        }
        String command = args.stream().filter(commands::contains).findFirst().orElse(null);
        String message = err.lastError == null ? "see stderr" : err.lastError;
        String table = null;
        Matcher m = TABLE.matcher(message);
        if (m.find()) {
            table = m.group(1);
        }
        String named = setting;
        if (named == null && message.startsWith("history database ")) {
            named = "--history-db";
        }
        Document doc = new Document(JsonAuditWriter.SCHEMA_VERSION, command, exitCode,
                new Error(exitCode == ExitCode.TRANSIENT ? Kind.TRANSIENT : Kind.USAGE, message, named, table));
        try {
            stdout.println(Json.MAPPER.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the error document", e);
        }
    }

    static boolean asksForJson(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--format=json") || a.equals("--format") && i + 1 < args.size() && args.get(i + 1).equals("json")) {
                return true;
            }
        }
        return false;
    }

    /** Passes bytes on, noting whether any came and the last line that starts with "delta-agent: ". */
    private static final class Tap extends OutputStream {
        private final OutputStream target;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        private volatile boolean written;
        private volatile String lastError;

        Tap(OutputStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            written = true;
            target.write(b);
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                if (text.startsWith(PREFIX) && !text.startsWith(PREFIX + "warning:")) {
                    lastError = text.substring(PREFIX.length()).strip();
                }
                line.reset();
            } else if (line.size() < 64 * 1024) {
                line.write(b);
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
