package io.deltaagent.cli.doctor;

import io.deltaagent.catalog.CatalogClient;
import io.deltaagent.catalog.CatalogClients;
import io.deltaagent.catalog.CatalogListing;
import io.deltaagent.config.CatalogsConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Each configured catalog reachable and listable, through the same clients the audit uses. */
public final class CatalogChecks {

    private final Map<String, String> env;
    private final Bounded bounded;

    public CatalogChecks(Map<String, String> env, Bounded bounded) {
        this.env = env;
        this.bounded = bounded;
    }

    public List<Check> check(CatalogsConfig catalogs) {
        List<Check> checks = new ArrayList<>();
        for (CatalogsConfig.Catalog c : catalogs.byName().values()) {
            String name = "catalog " + c.name();
            checks.add(bounded.run(name, "catalog " + c.name() + " (" + c.type() + ") did not answer within "
                    + bounded.timeout().toSeconds() + " s: check its uri/endpoint in catalogs." + c.name() + " and the network",
                    () -> list(name, c)));
        }
        return checks;
    }

    private Check list(String name, CatalogsConfig.Catalog c) {
        try (CatalogClient client = CatalogClients.open(c, env)) {
            CatalogListing listing = client.list();
            return Check.ok(name, c.type() + ": " + listing.summary());
        } catch (RuntimeException e) {
            return Check.fail(name, c.type() + ": " + e.getMessage(), "check catalogs." + c.name() + " in the config (its "
                    + "uri/endpoint, region, names) and the credentials in the environment (docs/CATALOGS.md)");
        }
    }
}
