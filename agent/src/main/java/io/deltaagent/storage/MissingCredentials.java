package io.deltaagent.storage;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises a store's "no usable credentials" failure and says how to supply them, in place of the connector's own
 * message: hadoop-azure's names a configuration key the user never set and quotes the key value it rejected.
 */
public final class MissingCredentials {

    private MissingCredentials() {
    }

    /** What to do, when {@code failure} (anywhere in its causes) is the store finding no usable credentials for {@code table}. */
    public static Optional<String> explain(String table, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (isAzureKeyMissing(t)) {
                return Optional.of("no usable credentials for the Azure storage account " + azureAccount(table) + ": set "
                        + "AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY (the account's shared key), or AZURE_TENANT_ID, "
                        + "AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (a service principal), in the agent's environment; or "
                        + "choose fs.azure.account.auth.type and its token provider under hadoop: in the config");
            }
        }
        return Optional.empty();
    }

    private static boolean isAzureKeyMissing(Throwable t) {
        String name = t.getClass().getName();
        String message = String.valueOf(t.getMessage());
        return name.startsWith("org.apache.hadoop.fs.azurebfs")
                && (name.endsWith("KeyProviderException") || message.contains("fs.azure.account.key"));
    }

    private static String azureAccount(String table) {
        try {
            String host = URI.create(table).getHost();
            return host == null ? "of " + table : host.toLowerCase(Locale.ROOT).split("\\.")[0];
        } catch (IllegalArgumentException e) {
            return "of " + table;
        }
    }
}
