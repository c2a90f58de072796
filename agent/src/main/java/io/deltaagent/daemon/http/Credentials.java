package io.deltaagent.daemon.http;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Reads the bearer token from an {@code Authorization} header (RFC 6750 over RFC 7235). */
final class Credentials {

    private static final byte[] NONE = new byte[0];

    private Credentials() {
    }

    /**
     * The token of {@code Authorization: Bearer TOKEN}, or an empty array when the header is absent or names another
     * scheme. The scheme is matched in any case ({@code bearer}, {@code BEARER}): RFC 7235 makes it case-insensitive.
     */
    static byte[] bearer(String header) {
        if (header == null) {
            return NONE;
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            return NONE;
        }
        return h.substring(space + 1).strip().getBytes(StandardCharsets.UTF_8);
    }
}
