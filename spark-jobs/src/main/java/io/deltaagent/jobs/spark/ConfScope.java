package io.deltaagent.jobs.spark;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.RuntimeConfig;

/**
 * Session settings for the length of one run. {@link #close()} puts back what was there before, so a job
 * run inside a longer-lived session (a notebook, a test JVM) leaves the session as it found it.
 */
public final class ConfScope implements AutoCloseable {
    private final RuntimeConfig conf;
    private final Map<String, Optional<String>> originals = new LinkedHashMap<>();

    public ConfScope(RuntimeConfig conf) {
        this.conf = requireNonNull(conf, "conf");
    }

    public void set(String key, String value) {
        // contains() is true only for explicit settings; getOption() would also return a registered default
        originals.computeIfAbsent(key, k -> conf.contains(k) ? Optional.of(conf.get(k)) : Optional.empty());
        conf.set(key, value);
    }

    /** Sets {@code key} only when the session has no explicit value for it. */
    public boolean setIfAbsent(String key, String value) {
        if (conf.contains(key)) {
            return false;
        }
        set(key, value);
        return true;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(conf.getOption(key).getOrElse(() -> null));
    }

    @Override
    public void close() {
        originals.forEach((key, original) -> {
            if (original.isPresent()) {
                conf.set(key, original.get());
            } else {
                conf.unset(key);
            }
        });
        originals.clear();
    }
}
