package io.deltaagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.error.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The catalogs configured under {@code catalogs:}, by the name the config gives them. */
public record CatalogsConfig(Map<String, Catalog> byName) {

    /** One configured catalog: its name, its {@code type} and its settings. */
    public record Catalog(String name, String type, OptionValues values) {

        public <T> T get(ConfigOption<T> option) {
            return values.get(option);
        }
    }

    public CatalogsConfig {
        byName = Map.copyOf(byName);
    }

    public static CatalogsConfig none() {
        return new CatalogsConfig(Map.of());
    }

    public Optional<Catalog> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Refuses a catalog name the config does not set up, naming {@code where}. */
    public Catalog require(String where, String name) {
        Catalog c = byName.get(name);
        if (c == null) {
            throw new ConfigException(where + ": catalog '" + name + "' is not configured; add a 'catalogs." + name
                    + "' section (configured: " + (byName.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(byName.keySet())))
                    + ")");
        }
        return c;
    }

    static CatalogsConfig parse(String source, JsonNode node) {
        Map<String, Catalog> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return none();
        }
        if (!node.isObject()) {
            throw new ConfigException(source + ": catalogs: must be a mapping of catalog names to their settings");
        }
        node.fields().forEachRemaining(e -> {
            String name = e.getKey();
            String where = "catalogs." + name;
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
                throw new ConfigException(source + ": " + where + ": a catalog name takes letters, digits, '_' and '-'");
            }
            JsonNode body = e.getValue();
            if (body == null || !body.isObject() || !body.hasNonNull("type")) {
                throw new ConfigException(source + ": " + where + ": needs a 'type' (" + String.join(", ", CatalogOptions.TYPES) + ")");
            }
            String type = body.get("type").asText();
            OptionSection section = CatalogOptions.SECTIONS.stream().filter(s -> s.key().equals(type)).findFirst()
                    .orElseThrow(() -> new ConfigException(source + ": " + where + ".type: unknown catalog type '" + type
                            + "'; valid: " + String.join(", ", CatalogOptions.TYPES)));
            if (type.equals(CatalogOptions.HIVE)) {
                refuseSecuredHive(source, where, body);
            }
            OptionValues values = OptionValues.builtIn().with(
                    OptionSection.parseValues(source, where, body, section.byKey(), Set.of("type")));
            if (type.equals(CatalogOptions.UNITY)) {
                requireSet(source, where, values, CatalogOptions.URI);
                requireSet(source, where, values, CatalogOptions.UC_CATALOG);
            }
            if (type.equals(CatalogOptions.HIVE) && values.get(CatalogOptions.URIS).isEmpty()) {
                throw new ConfigException(source + ": " + where + ": 'uris' is required ("
                        + CatalogOptions.URIS.description() + ")");
            }
            out.put(name, new Catalog(name, type, values));
        });
        return new CatalogsConfig(out);
    }

    /**
     * A Kerberos/SASL metastore cannot be reached by the agent's plain Thrift client: say so, rather than report the
     * keys as merely unknown, or connect and hang on a SASL handshake the client does not speak.
     */
    private static void refuseSecuredHive(String source, String where, JsonNode body) {
        body.fieldNames().forEachRemaining(k -> {
            String key = k.toLowerCase(java.util.Locale.ROOT);
            if (key.contains("sasl") || key.contains("kerberos") || key.contains("principal") || key.contains("keytab")) {
                throw new ConfigException(source + ": " + where + "." + k + ": Kerberos/SASL Hive Metastores are not supported "
                        + "(the hive catalog speaks unsecured Thrift only; see docs/CATALOGS.md): remove the setting, or "
                        + "reach the tables by path");
            }
        });
    }

    private static void requireSet(String source, String where, OptionValues values, ConfigOption<?> option) {
        if (values.get(option) == null) {
            throw new ConfigException(source + ": " + where + ": '" + option.key() + "' is required (" + option.description() + ")");
        }
    }
}
