package io.deltaagent.error;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that keeps credentials out of what the agent prints, logs and stores: every DeltaAgentException message
 * passes through it, and so does every log line (RedactingMessageConverter and RedactingThrowableConverter in logback.xml). It masks the password of a URL's
 * user info, credential-looking query parameters, {@code Bearer} tokens, and the values of credential settings
 * ({@code fs.s3a.secret.key=...}); names stay readable so the message still says what is wrong.
 */
public final class Redaction {

    static final String MASK = "***";

    /** One character of a secret value: it ends at a separator, a quote, white space, or the ": " a message goes on with. */
    private static final String VALUE = "(?:(?!:\\s)[^&;,\\s\"'}])";

    /**
     * scheme://user:password@host: the password, up to the authority's last {@code @} (a password may hold an
     * unencoded {@code @} or {@code /}).
     */
    private static final Pattern USERINFO = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s:]+:)[^\\s\"']*@"
            + "(?=[^@\\s\"'/]*(?:[/?;#\\s\"']|$))");
    /**
     * user:password@host without its scheme, as JDBC drivers echo the authority they failed to resolve
     * ("UnknownHostException: user:secret@db.internal"); a scheme's "//" does not start one (abfss://container@account).
     */
    private static final Pattern BARE_USERINFO = Pattern.compile("(?<![\\w.+%/:@-])([\\w.%+-]+:)(?!/)(?:(?!://)[^\\s\"'@])+@(?=[\\w\\[])");
    /** ?token=..., &password=..., ;password=... (JDBC), SAS and presigned-URL signatures. */
    private static final Pattern QUERY = Pattern.compile("(?i)([?&;](?:access_token|token|password|pwd|passwd|secret|"
            + "client_secret|api_key|apikey|key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)"
            + VALUE + "*");
    /** The header's form, "Bearer" and at least 8 token characters: prose about "the bearer token" stays as it is. */
    private static final Pattern BEARER = Pattern.compile("(\\bBearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
    /** key=value where the key names a credential setting (Hadoop and Spark settings as they are printed). */
    private static final Pattern SETTING = Pattern.compile("(?i)(\\b[\\w.-]*(?:secret|password|token|account\\.key|"
            + "encryption\\.key|access\\.key|access-key|\\.sas)[\\w.-]*\\s*=\\s*)(?!\\*\\*\\*)" + VALUE + "+");

    /**
     * {@code key ="..."}: a quoted value after a bare credential word, as hadoop-azure quotes the account key it
     * rejected ("Failure to initialize configuration for ACCOUNT key ="...""), which SETTING's names do not match.
     */
    private static final Pattern QUOTED = Pattern.compile("(?i)(\\b(?:key|secret|password|token)\\s*=\\s*\")[^\"]*\"");

    private Redaction() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = USERINFO.matcher(text).replaceAll("$1" + MASK + "@");
        out = BARE_USERINFO.matcher(out).replaceAll("$1" + MASK + "@");
        out = QUERY.matcher(out).replaceAll("$1" + MASK);
        out = BEARER.matcher(out).replaceAll("$1" + MASK);
        out = QUOTED.matcher(out).replaceAll("$1" + MASK + "\"");
        return SETTING.matcher(out).replaceAll("$1" + MASK);
    }

    /**
     * Whether a configuration key names a credential, so the config file refuses it: secrets, passwords, tokens, access
     * and account keys, encryption keys, SAS tokens, and any {@code *.key}; credential providers are settings, not
     * secrets.
     */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.endsWith(".provider") || k.endsWith(".providers") || k.endsWith(".provider.type")) {
            return false;
        }
        return k.contains("secret") || k.contains("password") || k.contains("token") || k.contains("access.key")
                || k.contains("access-key") || k.contains("account.key") || k.endsWith(".key") || k.contains(".key.")
                || k.contains(".sas.") || k.endsWith(".sas");
    }
}
