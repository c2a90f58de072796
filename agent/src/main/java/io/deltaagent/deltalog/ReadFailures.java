package io.deltaagent.deltalog;

import io.deltaagent.deltalog.actions.CheckpointColumnReader;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.error.TableReadException.Kind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;

/** Turns what the storage and log libraries throw into one {@link TableReadException} per table. */
final class ReadFailures {

    private ReadFailures() {
    }

    static TableReadException classify(String table, Throwable e) {
        if (e instanceof TableReadException t) {
            return t;
        }
        java.util.Optional<String> credentials = io.deltaagent.storage.MissingCredentials.explain(table, e);
        if (credentials.isPresent()) {
            // the cause stays out: hadoop-azure's message quotes the key it rejected
            return new TableReadException(table, Kind.ACCESS_DENIED, credentials.get());
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CorruptLogException) {
                return new TableReadException(table, Kind.CORRUPT_LOG, t.getMessage(), e);
            }
            if (t instanceof org.apache.hadoop.fs.ChecksumException) {
                return new TableReadException(table, Kind.CORRUPT_LOG, "a log file fails its checksum: " + firstLine(t.getMessage()), e);
            }
            if (t instanceof AccessDeniedException local && String.valueOf(local.getMessage()).contains("permission denied: this process")) {
                return new TableReadException(table, Kind.ACCESS_DENIED, local.getMessage(), e);
            }
            if (t instanceof AccessDeniedException || isForbidden(t)) {
                return new TableReadException(table, Kind.ACCESS_DENIED,
                        "access denied by the storage (" + CheckpointColumnReader.rootMessage(t).lines().findFirst().orElse("")
                                + "); check the credentials in the environment and the bucket policy", e);
            }
            if (isProtocolError(t)) {
                return new TableReadException(table, Kind.UNSUPPORTED_PROTOCOL,
                        "unsupported protocol: " + firstLine(t.getMessage()), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileNotFoundException) {
                return new TableReadException(table, Kind.CORRUPT_LOG, "a log file is missing: " + firstLine(t.getMessage()), e);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return new TableReadException(table, Kind.STORAGE_ERROR, "storage error: " + firstLine(t.getMessage()), e);
            }
        }
        return new TableReadException(table, Kind.CORRUPT_LOG,
                "cannot read the transaction log: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()), e);
    }

    private static boolean isForbidden(Throwable t) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return m.contains("403 forbidden") || m.contains("status code: 403") || m.contains("accessdenied")
                || m.contains("invalidaccesskeyid") || m.contains("signaturedoesnotmatch");
    }

    private static boolean isProtocolError(Throwable t) {
        String name = t.getClass().getName();
        return name.endsWith("InvalidProtocolVersionException")
                || (name.startsWith("io.delta.standalone") && String.valueOf(t.getMessage()).contains("protocol"));
    }

    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.lines().findFirst().orElse(message);
    }
}
