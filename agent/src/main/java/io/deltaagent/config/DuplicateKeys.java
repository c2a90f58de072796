package io.deltaagent.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Says which key a YAML file sets twice, where, and under which parent, from Jackson's strict duplicate detection. */
final class DuplicateKeys {

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");

    private DuplicateKeys() {
    }

    /** "line 7: key 'defaults.cooldown' is set twice; ...", or null when {@code e} is about something else. */
    static String describe(JacksonException e) {
        Matcher m = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (!m.find()) {
            return null;
        }
        String key = m.group(1);
        String parent = e.getProcessor() instanceof JsonParser p ? path(p.getParsingContext().getParent()) : "";
        String line = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
        return line + "key '" + (parent.isEmpty() ? key : parent + "." + key) + "' is set twice; "
                + "keep one (YAML keys must be unique in their mapping)";
    }

    /** defaults, tables[2], backends.emr: the mapping the duplicate sits in. */
    private static String path(JsonStreamContext ctx) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                parts.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }
}
