package io.deltaagent.config;

/** Generates the config reference (docs/CONFIG.md) from the option definitions, so it cannot drift. */
public final class ConfigReference {

    private ConfigReference() {
    }

    /** Where the config file, the history database and the state are found: the text of ConfigLookup and StateDirectory. */
    private static void lookup(StringBuilder out) {
        out.append("## Where the agent looks\n\n")
                .append("### The config file\n\n")
                .append("The first of these that names or holds a file is used; `--verbose` logs which and why, `delta-agent doctor` ")
                .append("prints it:\n\n")
                .append("1. `--config FILE`\n")
                .append("2. `DELTA_AGENT_CONFIG` (environment variable)\n")
                .append("3. `$XDG_CONFIG_HOME/delta-agent/agent.yaml` (`~/.config/delta-agent/agent.yaml` when `XDG_CONFIG_HOME` is ")
                .append("unset or not an absolute path)\n")
                .append("4. `/etc/delta-agent/agent.yaml`\n\n")
                .append("A file named by 1 or 2 that does not exist is an error (exit 2) naming the file and where its name came ")
                .append("from; 3 and 4 are used only when the file is there. None found: the built-in defaults (`daemon` needs a ")
                .append("config and says where one may go). A file found by 2 to 4 acts exactly as one given with `--config`: ")
                .append("its tables are audited beside any TABLE arguments.\n\n")
                .append("### The history database\n\n")
                .append("`--history-db URL`, else `DELTA_AGENT_HISTORY_DB`, else the embedded H2 database `history` in the state ")
                .append("directory. Both refuse a user or password in the URL (exit 2, naming the flag or the variable): set ")
                .append("`DELTA_AGENT_DB_USER` and `DELTA_AGENT_DB_PASSWORD`. `audit` and `plan` record audit samples only when the ")
                .append("flag or the variable names a database.\n\n")
                .append("### The state directory\n\n")
                .append("Where the embedded history database and detached sessions' logs (`sessions/`) live; the first that applies:\n\n")
                .append("1. `$XDG_STATE_HOME/delta-agent` when `XDG_STATE_HOME` is set (an absolute path)\n")
                .append("2. `/var/lib/delta-agent` when it exists and the agent's user can write in it: a service install (systemd's ")
                .append("`StateDirectory=`, the image) made it for that user, and an ordinary user cannot write there\n")
                .append("3. `~/.local/state/delta-agent` when the home directory (`HOME`, else the user's entry) exists and is writable\n")
                .append("4. none: a command that needs it fails (exit 2) saying what to set; `--history-db` or ")
                .append("`DELTA_AGENT_HISTORY_DB` does without it\n\n")
                .append("Earlier agents kept their state in `~/.delta-agent`: while that directory holds a history database ")
                .append("(`history.mv.db`) and the chosen one does not, it is still used (one info line says so, `doctor` warns), ")
                .append("so an upgrade loses no history. Move its files to the new directory, with no agent running, to switch. ")
                .append("`DELTA_AGENT_SESSION_DIR` puts the sessions' logs elsewhere.\n\n")
                .append("### Environment variables\n\n")
                .append("| variable | what |\n|---|---|\n")
                .append("| `DELTA_AGENT_CONFIG` | the config file, when `--config` is not given |\n")
                .append("| `DELTA_AGENT_HISTORY_DB` | the history database's JDBC URL, when `--history-db` is not given |\n")
                .append("| `DELTA_AGENT_DB_USER`, `DELTA_AGENT_DB_PASSWORD` | the history database's credentials |\n")
                .append("| `XDG_CONFIG_HOME`, `XDG_STATE_HOME` | the base directories of the config file and the state directory |\n")
                .append("| `DELTA_AGENT_SESSION_DIR` | where detached sessions' logs go |\n\n");
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
                .append("Unknown keys are rejected with the list of valid ones.\n\n");
        lookup(out);
        out.append("## Table options\n\n")
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
