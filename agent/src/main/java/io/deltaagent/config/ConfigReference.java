package io.deltaagent.config;

/** Generates the config reference (docs/CONFIG.md) from the option definitions, so it cannot drift. */
public final class ConfigReference {

    private ConfigReference() {
    }

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("Generated from the option definitions by `scripts/delta-agent config-reference`; ")
                .append("a test fails when this file is out of date.\n\n")
                .append("A config file (YAML) has these top-level keys, all optional:\n\n")
                .append("| key | what |\n|---|---|\n")
                .append("| `defaults` | table options (below) for every table |\n")
                .append("| `tables` | a list of tables: `path` (local path, `file:`, `s3a://`, `s3://`, `gs://` or `abfss://` URI), or `catalog` and the catalog's ")
                .append("`table` name (`db.table`), plus any table option to override |\n")
                .append("| `discover` | a list of roots; every Delta table below each root is audited with the defaults |\n")
                .append("| `hadoop` | Hadoop FileSystem settings (e.g. `fs.s3a.endpoint`, `fs.gs.storage.root.url`); secrets are refused here, ")
                .append("set `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` or a credentials provider in the environment |\n")
                .append("| `backends` | job backends by name (below); a table's `backend` option picks one, `local` needs no section |\n")
                .append("| `resilience` | circuit breaker and retries around every backend (below) |\n")
                .append("| `catalogs` | catalogs by name (below), whose Delta tables are audited by name (`--catalog NAME`); ")
                .append("see docs/CATALOGS.md |\n")
                .append("| `daemon` | settings of `delta-agent daemon` (below): job limits, failure backoff, HTTP endpoint, cluster identity |\n\n")
                .append("Unknown keys are rejected with the list of valid ones.\n\n")
                .append("## Table options\n\n")
                .append("| key | type | default | valid | description |\n|---|---|---|---|---|\n");
        for (ConfigOption<?> o : TableOptions.ALL) {
            row(out, o);
        }
        out.append("\n## Daemon options (under `daemon:`)\n\n")
                .append("Read by `delta-agent daemon` only. The HTTP bearer token is never written here: name the environment ")
                .append("variable (`http-token-env`) or file (`http-token-file`) that holds it. On SIGHUP the daemon reloads the ")
                .append("config; `http-address`, `instance-id` and `cluster-checkin-interval` take effect at the next start.\n\n")
                .append("| key | type | default | valid | description |\n|---|---|---|---|---|\n");
        for (ConfigOption<?> o : DaemonOptions.ALL) {
            out.append("| `").append(o.key()).append("` | ").append(o.type().name()).append(" | `")
                    .append(o.defaultText()).append("` | ").append(o.constraint()).append(" | ")
                    .append(o.description()).append(" |\n");
        }
        out.append("\n## Backends\n\n")
                .append("Credentials are never configured here: each backend takes them from its platform's usual environment ")
                .append("(see docs/BACKENDS.md).\n");
        for (OptionSection section : BackendOptions.SECTIONS) {
            section(out, "backends." + section.key(), section);
        }
        out.append("\n## Catalogs\n\n")
                .append("Each entry under `catalogs:` is a name of your choice with a `type` and that type's options. Tables are ")
                .append("still known by their location (one identity in history whether reached by name or path); the catalog's ")
                .append("name is shown beside it. Credentials are never configured here (see docs/CATALOGS.md).\n");
        for (OptionSection section : CatalogOptions.SECTIONS) {
            section(out, "catalogs.NAME` with `type: " + section.key(), section);
        }
        out.append("\n## Resilience\n");
        section(out, "resilience", BackendOptions.RESILIENCE_SECTION);
        logging(out);
        return out.toString();
    }

    /** Logging is set on the command line or in the environment, not in this file: how, for every command. */
    private static void logging(StringBuilder out) {
        out.append("\n## Logging (command line and environment, not this file)\n\n")
                .append("Log lines go to stderr; results (a report, one JSON document) to stdout. Every command takes these ")
                .append("options; the environment variables set their defaults (for the daemon under systemd or Helm).\n\n")
                .append("| option | environment | values | default | meaning |\n|---|---|---|---|---|\n")
                .append("| `--log-format` | `DELTA_AGENT_LOG_FORMAT` | `text`, `json` | `text` | text: `2026-12-06T10:15:02.113Z INFO  ")
                .append("logger - message`, the date and time in UTC; json: one object per line with `time`, `level`, `logger`, ")
                .append("`thread`, `table`, `runId`, `session` (where the line is about one), `message` and `exception` (the stack ")
                .append("trace, when there is one) |\n")
                .append("| `--log-level` | `DELTA_AGENT_LOG_LEVEL` | `error`, `warn`, `info`, `debug`, `trace` | `warn` (`info` for the ")
                .append("daemon) | the agent's own lines; libraries' at error by default (warn for the daemon, with `--verbose`, or with a `--log-level` ")
                .append("below error); a job's progress ")
                .append("follows it |\n")
                .append("| `--quiet` | | | off | only errors on stderr: no progress, notes or warnings; results still on stdout. ")
                .append("Not with `--log-level` |\n")
                .append("| `--verbose` (`audit`, `plan`, `maintain`, `daemon`) | | | off | debug, and stack traces of failures; ")
                .append("`--log-level` overrides its level |\n\n")
                .append("An option on the command line wins over the environment; a value outside the list is a usage error (exit 2) ")
                .append("naming the option or variable. Credentials are masked in every line and field, in both formats.\n");
    }

    private static void section(StringBuilder out, String key, OptionSection section) {
        out.append("\n### `").append(key).append("`\n\n").append(section.description()).append("\n\n")
                .append("| key | type | default | valid | description |\n|---|---|---|---|---|\n");
        for (ConfigOption<?> o : section.options()) {
            row(out, o);
        }
    }

    private static void row(StringBuilder out, ConfigOption<?> o) {
        out.append("| `").append(o.key()).append("` | ").append(o.type().name()).append(" | `")
                .append(o.defaultText()).append("` | ").append(o.constraint()).append(" | ")
                .append(o.description()).append(" |\n");
    }
}
