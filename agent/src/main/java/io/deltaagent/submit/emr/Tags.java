package io.deltaagent.submit.emr;

import io.deltaagent.submit.JobSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The tags delta-agent puts on its clusters and job runs, within the limits AWS tagging allows. */
final class Tags {

    static final String TABLE = "delta-agent:table";
    static final String ACTION = "delta-agent:action";
    static final String TOKEN = "delta-agent:token";

    /** Letters, digits, blanks and {@code _ . : / = + - @}: what EMR and EMR Serverless accept in tags. */
    private static final String ALLOWED = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";

    private Tags() {
    }

    static Map<String, String> validate(Map<String, String> tags, String key) {
        if (tags == null) {
            return Map.of();
        }
        tags.forEach((k, v) -> {
            Settings.require(k != null && !k.isEmpty() && k.length() <= 128 && k.matches(ALLOWED)
                    && !k.toLowerCase(Locale.ROOT).startsWith("aws:"), key,
                    "tag keys must be 1 to 128 letters, digits, blanks or _.:/=+-@ and not start with aws:, got '" + k + "'");
            Settings.require(!k.startsWith("delta-agent:"), key, "tag keys delta-agent:* are set by the agent, got '" + k + "'");
            Settings.require(v != null && v.length() <= 256 && v.matches(ALLOWED), key + "." + k,
                    "tag values must be up to 256 letters, digits, blanks or _.:/=+-@, got '" + v + "'");
        });
        return Map.copyOf(tags);
    }

    /** The configured tags plus the job's table, action and token. */
    static Map<String, String> forJob(Map<String, String> configured, JobSpec spec) {
        Map<String, String> tags = new LinkedHashMap<>(configured);
        tags.put(TABLE, value(spec.table()));
        tags.put(ACTION, spec.action().name().toLowerCase(Locale.ROOT));
        tags.put(TOKEN, spec.idempotencyToken());
        return tags;
    }

    /** A table URI as a tag value: characters tags refuse become '_', and it is cut to 256 characters. */
    static String value(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            String ch = new String(Character.toChars(c));
            out.append(ch.matches(ALLOWED) ? ch : "_");
        });
        return out.length() <= 256 ? out.toString() : out.substring(0, 256);
    }
}
