package io.deltaagent.daemon.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The dashboard's files, read from the classpath under {@code io/deltaagent/ui/} (they ship in the jar: no build step,
 * nothing fetched from a network). Only plain names of known types resolve ({@code app.js}, {@code style.css}): no
 * directories, no {@code ..}, nothing outside that folder. Each file is read once and kept with its ETag.
 */
final class StaticAssets {

    private static final String ROOT = "io/deltaagent/ui/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*\\.(html|js|css|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");

    /** One file: its bytes, content type and ETag (a hash of the bytes). */
    record Asset(byte[] bytes, String contentType, String etag) {
    }

    private final ClassLoader loader;
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

    StaticAssets() {
        this(StaticAssets.class.getClassLoader());
    }

    StaticAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /** The asset at {@code name} ({@code ""} is {@code index.html}), or empty for an unknown or disallowed name. */
    Optional<Asset> find(String name) {
        String file = name.isEmpty() ? "index.html" : name;
        if (!NAME.matcher(file).matches()) {
            return Optional.empty();
        }
        return cache.computeIfAbsent(file, this::load);
    }

    private Optional<Asset> load(String file) {
        try (InputStream in = loader.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
            return Optional.of(new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 12) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + ROOT + file + " from the classpath", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
