package io.deltaagent.deltalog.segment;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file name in {@code _delta_log}, classified as the Delta protocol names them.
 *
 * @param part 1-based part number of a multi-part checkpoint (1 otherwise)
 * @param parts number of parts of a multi-part checkpoint (1 otherwise)
 */
public record LogFile(Type type, long version, int part, int parts, String name) {

    /** The kinds of log file the agent recognises. */
    public enum Type { COMMIT, CHECKPOINT_CLASSIC, CHECKPOINT_MULTIPART, CHECKPOINT_V2, CHECKSUM, COMPACTED_COMMITS }

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CLASSIC = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");
    private static final Pattern MULTIPART = Pattern.compile("(\\d{20})\\.checkpoint\\.(\\d{10})\\.(\\d{10})\\.parquet");
    private static final Pattern V2 = Pattern.compile("(\\d{20})\\.checkpoint\\.[0-9a-fA-F-]{36}\\.(json|parquet)");
    private static final Pattern CRC = Pattern.compile("(\\d{20})\\.crc");
    private static final Pattern COMPACTED = Pattern.compile("(\\d{20})\\.(\\d{20})\\.compacted\\.json");

    /** Classifies a bare file name; empty for files the protocol does not name (e.g. _last_checkpoint, temp files). */
    public static Optional<LogFile> parse(String name) {
        Matcher m;
        if ((m = COMMIT.matcher(name)).matches()) {
            return Optional.of(new LogFile(Type.COMMIT, Long.parseLong(m.group(1)), 1, 1, name));
        }
        if ((m = CLASSIC.matcher(name)).matches()) {
            return Optional.of(new LogFile(Type.CHECKPOINT_CLASSIC, Long.parseLong(m.group(1)), 1, 1, name));
        }
        if ((m = MULTIPART.matcher(name)).matches()) {
            return Optional.of(new LogFile(Type.CHECKPOINT_MULTIPART, Long.parseLong(m.group(1)),
                    Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), name));
        }
        if ((m = V2.matcher(name)).matches()) {
            return Optional.of(new LogFile(Type.CHECKPOINT_V2, Long.parseLong(m.group(1)), 1, 1, name));
        }
        if ((m = CRC.matcher(name)).matches()) {
            return Optional.of(new LogFile(Type.CHECKSUM, Long.parseLong(m.group(1)), 1, 1, name));
        }
        if ((m = COMPACTED.matcher(name)).matches()) {
            return Optional.of(new LogFile(Type.COMPACTED_COMMITS, Long.parseLong(m.group(1)), 1, 1, name));
        }
        return Optional.empty();
    }

    public boolean isCheckpoint() {
        return type == Type.CHECKPOINT_CLASSIC || type == Type.CHECKPOINT_MULTIPART || type == Type.CHECKPOINT_V2;
    }

    public static String commitName(long version) {
        return String.format("%020d.json", version);
    }
}
