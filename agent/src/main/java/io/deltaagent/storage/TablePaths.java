package io.deltaagent.storage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * One name per table, however it was spelled: the key under which the agent audits, plans, guards, records and
 * reports a table. {@code t}, {@code ./t}, {@code /abs/t/}, {@code file:/abs/t}, {@code file:///abs/t} and a symlink to
 * it are one local table, named by its absolute real path ({@code /abs/t}); a URI with another scheme keeps its scheme
 * (lower-cased) and authority with {@code .}, {@code ..}, repeated and trailing slashes removed from its path
 * ({@code s3a://bucket/a/./b//t/} is {@code s3a://bucket/a/b/t}). Object stores have no symlinks. {@code s3://},
 * {@code s3n://} and {@code s3a://} are read alike (S3A, see {@link StorageSchemes}) and normalised alike, but each
 * keeps its scheme: it is the name the user and their catalog use, and what EMR and Databricks jobs are given; two
 * spellings of one bucket stay two names, which the Delta table id cross-check catches. A scheme the agent cannot
 * read is refused here, naming the schemes it can.
 */
public final class TablePaths {

    private TablePaths() {
    }

    /** The canonical name of the table at {@code userPath}; the path need not exist. */
    public static String canonical(String userPath) {
        String trimmed = userPath.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("a table path must not be empty");
        }
        if (!trimmed.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return local(trimmed);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid table URI: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        StorageSchemes.store(scheme);
        if (scheme.equals("file")) {
            String path = uri.getPath();
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("a file: URI needs an absolute path: " + trimmed);
            }
            return local(path);
        }
        if (uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("a " + scheme + ": table URI needs a bucket or host (" + scheme + "://bucket/path): "
                    + trimmed);
        }
        String path = normalizedSegments(uri.getRawPath() == null ? "" : uri.getRawPath());
        return scheme + "://" + uri.getRawAuthority() + path;
    }

    /** True when {@code a} and {@code b} name one table. */
    public static boolean same(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    private static String local(String path) {
        Path absolute;
        try {
            absolute = Paths.get(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("not a valid local path: " + e.getMessage(), e);
        }
        return realPath(absolute).toString();
    }

    /**
     * Symlinks resolved as far as the path exists; the rest (a table not created yet, a path that is wrong) is kept
     * as given, so its errors still name it.
     */
    private static Path realPath(Path absolute) {
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        Path real;
        try {
            real = existing.toRealPath();
        } catch (IOException | SecurityException e) {
            // unreadable on the way (permissions): the absolute spelling is the best name there is
            real = existing;
        }
        for (Path name : missing) {
            real = real.resolve(name);
        }
        return real;
    }

    /** The segments of a URI path without {@code .}, {@code ..} and empty ones: {@code /a/b} or "" for the root. */
    private static String normalizedSegments(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : rawPath.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return segments.isEmpty() ? "" : "/" + String.join("/", segments);
    }
}
