package io.deltaagent.daemon.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query string of an API request, decoded. A parameter that cannot be read (bad percent-encoding, not a number)
 * is a {@link BadParameter} naming it, which the API answers with 400 and a JSON error like its others.
 */
final class QueryParams {

    /** A query parameter the API cannot use; the message starts with its name. */
    static final class BadParameter extends RuntimeException {

        BadParameter(String name, String why) {
            super(name + ": " + why);
        }
    }

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** Decodes {@code raw} (the URI's raw query, null for none); a later repeat of a parameter wins. */
    static QueryParams parse(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return new QueryParams(out);
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String name = decode(pair.substring(0, eq), pair.substring(0, eq));
                out.put(name, decode(name, pair.substring(eq + 1)));
            }
        }
        return new QueryParams(out);
    }

    private static String decode(String name, String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadParameter(name, "cannot decode '" + text + "': " + e.getMessage());
        }
    }

    /** The parameter's value, or null when absent. */
    String get(String name) {
        return values.get(name);
    }

    Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    /** An integer from {@code min} to {@code max}, {@code fallback} when absent. */
    int integer(String name, int fallback, int min, int max) {
        String text = values.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new BadParameter(name, "'" + text + "' is not an integer from " + min + " to " + max);
    }
}
