package io.deltaagent.config;

/** Where a refused credential setting belongs instead of the config file: the advice of the store the key is for. */
final class CredentialAdvice {

    private CredentialAdvice() {
    }

    /** @param key a Hadoop setting, lower case */
    static String forHadoopKey(String key) {
        if (key.startsWith("fs.azure.")) {
            return "give Azure storage (abfs) its credentials without a key in this file: OAuth or a managed identity "
                    + "(fs.azure.account.auth.type and fs.azure.account.oauth.provider.type), or a Hadoop credential store "
                    + "named by hadoop.security.credential.provider.path";
        }
        if (key.startsWith("fs.gs.") || key.startsWith("google.")) {
            return "give Google Cloud Storage (gs) its credentials without a key in this file: a service account key file "
                    + "(fs.gs.auth.service.account.json.keyfile) or the application default credentials of the environment";
        }
        if (key.startsWith("fs.s3a.") || key.startsWith("fs.s3.")) {
            return "set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or a credentials provider) in the environment";
        }
        return "pass it through the environment or a Hadoop credential store named by hadoop.security.credential.provider.path";
    }
}
