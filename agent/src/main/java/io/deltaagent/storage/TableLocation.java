package io.deltaagent.storage;

import java.net.URI;
import java.nio.file.Paths;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * A table as the user named it ({@code display}) and as a fully qualified Hadoop path: local paths
 * become {@code file:} URIs, URIs with a scheme the agent reads ({@link StorageSchemes}) are kept.
 */
public record TableLocation(String display, Path path) {

    public TableLocation {
        Objects.requireNonNull(display, "display");
        Objects.requireNonNull(path, "path");
    }

    public static TableLocation of(String userPath) {
        String trimmed = userPath.trim();
        while (trimmed.length() > 1 && trimmed.endsWith("/") && !trimmed.endsWith(":/") && !trimmed.endsWith("://")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        if (trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            uri = URI.create(trimmed);
            StorageSchemes.store(uri.getScheme());
        } else {
            // not Path.toUri(): it appends a slash to existing directories
            uri = new java.io.File(Paths.get(trimmed).toAbsolutePath().normalize().toString()).toURI();
            String text = uri.toString();
            if (text.endsWith("/") && text.length() > "file:/".length()) {
                uri = URI.create(text.substring(0, text.length() - 1));
            }
        }
        return new TableLocation(userPath.trim(), new Path(uri));
    }

    public Path logDir() {
        return new Path(path, "_delta_log");
    }
}
