package io.deltaagent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * A test hook: with {@code -Ddeltaagent.test.migrationPause=VERSION:MILLIS:MARKER_FILE}, the schema migration stops for
 * MILLIS after migration VERSION has run and before Flyway records it (the window in which a signal used to leave the
 * schema half-applied), creating MARKER_FILE when the pause begins so a test knows when to send its signal.
 */
final class MigrationPause implements Callback {

    static final String PROPERTY = "deltaagent.test.migrationPause";

    private final String version;
    private final long millis;
    private final Path marker;

    private MigrationPause(String version, long millis, Path marker) {
        this.version = version;
        this.millis = millis;
        this.marker = marker;
    }

    /** The hook the system property asks for, or null (always, outside tests). */
    static MigrationPause fromSystemProperty() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String[] parts = spec.split(":", 3);
        return new MigrationPause(parts[0], Long.parseLong(parts[1]), Paths.get(parts[2]));
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_EACH_MIGRATE && context.getMigrationInfo() != null
                && version.equals(String.valueOf(context.getMigrationInfo().getVersion()));
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            Files.writeString(marker, "paused after V" + version + "\n");
            Thread.sleep(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String getCallbackName() {
        return "test-migration-pause";
    }
}
