package io.deltaagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * How one kind of option value is read from config and written back: its name with the unit it
 * takes, its parser and its formatter.
 */
public record OptionType<T>(String name, Function<JsonNode, T> parser, Function<T, String> formatter) {

    public static final OptionType<ByteSize> BYTE_SIZE = new OptionType<>(
            "byte size (B, KiB, MiB, GiB, TiB; KB, MB, GB)",
            // a YAML integer as its digits: asLong() would wrap one beyond a long
            node -> ByteSize.parse(text(node)),
            ByteSize::toString);

    public static final OptionType<Duration> DURATION = new OptionType<>(
            "duration (ms, s, m, h, d)",
            node -> Durations.parse(text(node)),
            Durations::toConfigString);

    public static final OptionType<Integer> INTEGER = new OptionType<>(
            "integer",
            node -> {
                if (node.isIntegralNumber() && node.canConvertToInt()) {
                    return node.asInt();
                }
                String t = node.isValueNode() ? node.asText().trim() : "";
                if (node.isIntegralNumber() || (node.isTextual() && t.matches("[+-]?\\d+"))) {
                    try {
                        return Integer.parseInt(t);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + t + "' is out of range for an integer (at most "
                                + Integer.MAX_VALUE + ")");
                    }
                }
                throw new IllegalArgumentException("'" + node.asText() + "' is not an integer");
            },
            String::valueOf);

    public static final OptionType<Double> FRACTION = new OptionType<>(
            "fraction (0.25 or 25%)",
            node -> {
                if (node.isNumber()) {
                    return finite(node.asText(), node.asDouble());
                }
                String t = text(node).trim();
                try {
                    return finite(t, t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
                            : Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + t + "' is not a fraction; write 0.25 or 25%");
                }
            },
            String::valueOf);

    public static final OptionType<Double> DECIMAL = new OptionType<>(
            "decimal number (e.g. 0.55)",
            node -> {
                if (node.isNumber()) {
                    return finite(node.asText(), node.asDouble());
                }
                String t = text(node).trim();
                try {
                    return finite(t, Double.parseDouble(t));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + t + "' is not a number; write e.g. 0.55");
                }
            },
            String::valueOf);

    public static final OptionType<Boolean> BOOLEAN = new OptionType<>(
            "boolean (true, false)",
            node -> {
                if (node.isBoolean()) {
                    return node.asBoolean();
                }
                String t = node.asText().trim();
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(t);
                }
                throw new IllegalArgumentException("'" + t + "' is not a boolean; write true or false");
            },
            String::valueOf);

    public static final OptionType<List<String>> COLUMN_LIST = new OptionType<>(
            "list of column names",
            node -> {
                List<String> columns = new ArrayList<>();
                if (node.isArray()) {
                    node.forEach(n -> columns.add(column(text(n))));
                } else {
                    for (String part : text(node).split(",")) {
                        if (!part.isBlank()) {
                            columns.add(column(part));
                        }
                    }
                }
                return List.copyOf(columns);
            },
            list -> list.isEmpty() ? "[]" : "[" + String.join(", ", list) + "]");

    public static final OptionType<String> STRING = new OptionType<>(
            "string",
            node -> {
                String t = text(node).trim();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("the value is empty");
                }
                return t;
            },
            s -> s);

    public static final OptionType<List<String>> STRING_LIST = new OptionType<>(
            "list of strings",
            node -> {
                List<String> values = new ArrayList<>();
                if (node.isArray()) {
                    node.forEach(n -> values.add(text(n).trim()));
                } else {
                    for (String part : text(node).split(",")) {
                        if (!part.isBlank()) {
                            values.add(part.trim());
                        }
                    }
                }
                return List.copyOf(values);
            },
            list -> list.isEmpty() ? "[]" : "[" + String.join(", ", list) + "]");

    public static final OptionType<java.util.Map<String, String>> STRING_MAP = new OptionType<>(
            "mapping of strings",
            node -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException("expected a mapping of keys to values");
                }
                java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
                node.fields().forEachRemaining(e -> values.put(e.getKey(), text(e.getValue())));
                return java.util.Collections.unmodifiableMap(values);
            },
            map -> map.isEmpty() ? "{}" : map.toString());

    public static final OptionType<ReaderChoice> READER = new OptionType<>(
            "reader (auto, projected, standalone, kernel)",
            node -> ReaderChoice.parse(text(node)),
            ReaderChoice::toString);

    public static final OptionType<MaintenanceWindow> WINDOW = new OptionType<>(
            "window (HH:MM-HH:MM in UTC, comma-separated, or always)",
            node -> MaintenanceWindow.parse(text(node)),
            MaintenanceWindow::toString);

    public static final OptionType<String> CRON = new OptionType<>(
            "Quartz cron (sec min hour day-of-month month day-of-week, UTC)",
            node -> {
                String expr = text(node).trim();
                try {
                    org.quartz.CronExpression.validateExpression(expr);
                } catch (java.text.ParseException e) {
                    throw new IllegalArgumentException("'" + expr + "' is not a Quartz cron expression: " + e.getMessage()
                            + "; e.g. '0 */15 * * * ?' for every 15 minutes");
                }
                return expr;
            },
            s -> s);

    /** Backend name to a limit: {@code {local: 1, databricks: 4}}. */
    public static final OptionType<java.util.Map<String, Integer>> BACKEND_LIMITS = new OptionType<>(
            "mapping of backend name to integer",
            node -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException("expected a mapping like {local: 1}");
                }
                java.util.Map<String, Integer> limits = new java.util.TreeMap<>();
                node.fields().forEachRemaining(e -> limits.put(e.getKey(), INTEGER.parse(e.getValue())));
                return java.util.Map.copyOf(limits);
            },
            m -> m.isEmpty() ? "{}" : new java.util.TreeMap<>(m).toString().replace("=", ": "));

    public T parse(JsonNode node) {
        return parser.apply(node);
    }

    @SuppressWarnings("unchecked")
    public String format(Object value) {
        return value == null ? "" : formatter.apply((T) value);
    }

    private static String text(JsonNode node) {
        if (!node.isValueNode()) {
            throw new IllegalArgumentException("expected a single value, found " + node.getNodeType().name().toLowerCase());
        }
        return node.asText();
    }

    /** NaN and infinities (Java's parser takes "NaN" and "Infinity", YAML's .nan and .inf) pass no range check. */
    private static double finite(String text, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("'" + text + "' is not a finite number");
        }
        return value;
    }

    private static String column(String name) {
        String trimmed = name.trim();
        if (trimmed.isEmpty() || trimmed.contains("`")) {
            throw new IllegalArgumentException("'" + name + "' is not a column name");
        }
        return trimmed;
    }
}
