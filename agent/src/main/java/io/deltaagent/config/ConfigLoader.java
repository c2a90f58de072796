package io.deltaagent.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.deltaagent.error.ConfigException;
import io.deltaagent.error.Redaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.deltaagent.storage.TablePaths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the YAML config. Every key is checked: unknown keys are rejected with the list of valid ones,
 * values are parsed with their unit and validated, and secrets are refused (they belong in the
 * environment). Errors name the file and the key path.
 */
public final class ConfigLoader {

    private static final Set<String> TOP_LEVEL = Set.of("defaults", "tables", "discover", "hadoop", "backends", "resilience",
            "daemon", "catalogs");

    // a key written twice is an error, not "the last one wins": the first is what the reader of the file believes
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Loads the file the lookup found; an error about a file the user did not name on the command line also says how it
     * was found (DELTA_AGENT_CONFIG, or a well-known place), so a forgotten file is not a mystery.
     */
    public AgentConfig load(ConfigLocation location) {
        try {
            return load(location.path());
        } catch (ConfigException e) {
            if (location.source() == ConfigLocation.Source.FLAG) {
                throw e;
            }
            throw new ConfigException(e.getMessage() + " [config file from " + location.source().description() + "]", e);
        }
    }

    public AgentConfig load(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source + ": config file does not exist");
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read config file: " + e.getMessage(), e);
        }
        return parse(source, text);
    }

    public AgentConfig parse(String source, String text) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            String duplicate = DuplicateKeys.describe(e);
            if (duplicate != null) {
                throw new ConfigException(source + ": " + duplicate, e);
            }
            throw new ConfigException(source + ": not valid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return AgentConfig.empty();
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": the top level must be a mapping with keys " + new TreeSet<>(TOP_LEVEL));
        }
        rejectUnknown(source, "", root, TOP_LEVEL);

        OptionValues defaults = OptionValues.builtIn();
        if (root.has("defaults")) {
            defaults = defaults.with(options(source, "defaults", root.get("defaults"), TableOptions.BY_KEY, Set.of()));
        }
        CatalogsConfig catalogs = CatalogsConfig.parse(source, root.get("catalogs"));
        List<CatalogTableEntry> catalogTables = new ArrayList<>();
        List<TableEntry> tables = tables(source, root.get("tables"), defaults, catalogs, catalogTables);
        List<String> discover = discover(source, root.get("discover"));
        Map<String, String> hadoop = hadoop(source, root.get("hadoop"));
        BackendsConfig backends = BackendsConfig.parse(source, root.get("backends"), root.get("resilience"));
        for (TableEntry table : tables) {
            backends.requireKnown(source, table.path(), table.settings().backend());
        }
        for (CatalogTableEntry table : catalogTables) {
            backends.requireKnown(source, table.ref().toString(), table.settings().backend());
        }
        backends.requireKnown(source, "defaults", defaults.get(TableOptions.BACKEND));
        DaemonSettings daemon = DaemonSettings.defaults();
        if (root.has("daemon")) {
            try {
                daemon = DaemonSettings.from(OptionValues.builtIn().with(
                        options(source, "daemon", root.get("daemon"), DaemonOptions.BY_KEY, Set.of())));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(source + ": " + e.getMessage(), e);
            }
        }
        if (daemon.budgetPerDay() != null) {
            Set<String> used = new TreeSet<>();
            tables.forEach(t -> used.add(t.settings().backend()));
            catalogTables.forEach(t -> used.add(t.settings().backend()));
            used.add(defaults.get(TableOptions.BACKEND));
            requirePrices(source, backends, used);
        }
        return new AgentConfig(defaults, tables, discover, hadoop, backends, daemon, catalogs, catalogTables);
    }

    /**
     * A budget in money needs every backend's price in one currency: without it an action's cost is unknown and the budget
     * could not be kept.
     */
    private static void requirePrices(String source, BackendsConfig backends, Set<String> used) {
        Set<String> currencies = new TreeSet<>();
        for (String name : used) {
            OptionValues s = backends.section(name).orElse(BackendOptions.LOCAL.equals(name) ? OptionValues.builtIn() : null);
            boolean priced = s != null && (BackendOptions.LOCAL.equals(name) ? s.get(BackendOptions.CORE_HOUR_PRICE) != null
                    : s.get(BackendOptions.NODE_HOUR_PRICE) != null
                    || (s.get(BackendOptions.DBU_PER_NODE_HOUR) != null && s.get(BackendOptions.PRICE_PER_DBU) != null));
            if (!priced) {
                String key = BackendOptions.LOCAL.equals(name) ? "core-hour-price" : "node-hour-price";
                throw new ConfigException(source + ": daemon.budget-per-day needs the price of every backend the tables use; "
                        + "backend " + name + " has none: set backends." + name + "." + key
                        + ", or count the budget in daemon.budget-compute-hours-per-day");
            }
            currencies.add(s.get(BackendOptions.COST_CURRENCY));
        }
        if (currencies.size() > 1) {
            throw new ConfigException(source + ": daemon.budget-per-day is one amount, but the backends' prices are in "
                    + currencies + ": give them one cost-currency");
        }
    }

    private List<TableEntry> tables(String source, JsonNode node, OptionValues defaults, CatalogsConfig catalogs,
                                    List<CatalogTableEntry> catalogTables) {
        List<TableEntry> tables = new ArrayList<>();
        if (node == null || node.isNull()) {
            return tables;
        }
        if (!node.isArray()) {
            throw new ConfigException(source + ": tables: must be a list of entries with a 'path' key");
        }
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < node.size(); i++) {
            String where = "tables[" + i + "]";
            JsonNode entry = node.get(i);
            if (entry.isTextual()) {
                tables.add(new TableEntry(requirePath(source, where, entry.asText()), TableSettings.from(defaults, false)));
                continue;
            }
            if (entry.isObject() && entry.hasNonNull("catalog") && !entry.has("path")) {
                catalogTables.add(catalogTable(source, where, entry, defaults, catalogs, seen));
                continue;
            }
            if (!entry.isObject() || !entry.hasNonNull("path")) {
                throw new ConfigException(source + ": " + where + ": each table needs a 'path' (a local path or a table URI), "
                        + "or a 'catalog' and the catalog's 'table' name");
            }
            String path = requirePath(source, where + ".path", entry.get("path").asText());
            if (!seen.add(path)) {
                throw new ConfigException(source + ": " + where + ".path: table " + path + " is listed twice (paths are compared "
                        + "after resolving '.', '..', trailing slashes and symlinks)");
            }
            Map<String, Object> overrides = options(source, where, entry, TableOptions.BY_KEY, Set.of("path"));
            OptionValues values = defaults.with(overrides);
            tables.add(new TableEntry(path, TableSettings.from(values, overrides.containsKey(TableOptions.TARGET_FILE_SIZE.key()))));
        }
        return tables;
    }

    /** An entry naming a table of a configured catalog ({@code catalog: lake, table: sales.orders}). */
    private CatalogTableEntry catalogTable(String source, String where, JsonNode entry, OptionValues defaults,
                                           CatalogsConfig catalogs, Set<String> seen) {
        String catalog = entry.get("catalog").asText();
        catalogs.require(source + ": " + where + ".catalog", catalog);
        if (!entry.hasNonNull("table") || entry.get("table").asText().isBlank()) {
            throw new ConfigException(source + ": " + where + ": a catalog entry needs the catalog's 'table' name (e.g. db.table)");
        }
        CatalogTableRef ref = new CatalogTableRef(catalog, entry.get("table").asText().trim());
        if (!seen.add(ref.toString())) {
            throw new ConfigException(source + ": " + where + ".table: table " + ref + " is listed twice");
        }
        Map<String, Object> overrides = options(source, where, entry, TableOptions.BY_KEY, Set.of("catalog", "table"));
        OptionValues values = defaults.with(overrides);
        return new CatalogTableEntry(ref, TableSettings.from(values, overrides.containsKey(TableOptions.TARGET_FILE_SIZE.key())));
    }

    private List<String> discover(String source, JsonNode node) {
        List<String> roots = new ArrayList<>();
        if (node == null || node.isNull()) {
            return roots;
        }
        if (!node.isArray()) {
            throw new ConfigException(source + ": discover: must be a list of root paths or URIs");
        }
        for (int i = 0; i < node.size(); i++) {
            roots.add(requirePath(source, "discover[" + i + "]", node.get(i).asText()));
        }
        return roots;
    }

    private Map<String, String> hadoop(String source, JsonNode node) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return settings;
        }
        if (!node.isObject()) {
            throw new ConfigException(source + ": hadoop: must be a mapping of Hadoop configuration keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            if (Redaction.isSecretKey(lower)) {
                throw new ConfigException(source + ": hadoop." + key + ": secrets are not read from the config file; "
                        + CredentialAdvice.forHadoopKey(lower));
            }
            if (!e.getValue().isValueNode()) {
                throw new ConfigException(source + ": hadoop." + key + ": must be a single value");
            }
            settings.put(key, e.getValue().asText());
        }
        return settings;
    }

    /** Parses the options of {@code registry} in {@code node}, allowing the extra keys in {@code alsoAllowed}. */
    private Map<String, Object> options(String source, String where, JsonNode node, Map<String, ConfigOption<?>> registry,
                                        Set<String> alsoAllowed) {
        return OptionSection.parseValues(source, where, node, registry, alsoAllowed);
    }

    private static void rejectUnknown(String source, String prefix, JsonNode node, Set<String> valid) {
        OptionSection.rejectUnknown(source, prefix, node, valid);
    }

    private static String requirePath(String source, String where, String path) {
        if (path == null || path.isBlank()) {
            throw new ConfigException(source + ": " + where + ": the path is empty");
        }
        try {
            return TablePaths.canonical(path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + where + ": " + path.trim() + ": " + e.getMessage());
        }
    }
}
