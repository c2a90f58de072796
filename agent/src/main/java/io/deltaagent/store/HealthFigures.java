package io.deltaagent.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.health.TableHealth;

/**
 * The figures of a table's health that the guards, the API and the CLI read from a run's stored health (a TableHealth
 * JSON document, health_before and health_after): read in this one place, so a change to the document's shape breaks
 * one reader and its test, not five. A figure missing from an older document reads as -1.
 */
public record HealthFigures(long version, long files, long totalBytes, long averageBytes, long smallFiles,
                            long commitsSinceCheckpoint, long logObjects, long tombstones, long snapshotMillis) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The figures of a table's health as measured; null for null. */
    public static HealthFigures of(TableHealth h) {
        return h == null ? null : new HealthFigures(h.identity().version(), h.files().activeFiles(), h.files().totalBytes(),
                h.files().averageBytes(), h.files().smallFiles(), h.log().commitsSinceCheckpoint(), h.log().objects(),
                h.tombstones().count(), h.readCost().snapshotMillis());
    }

    /** The figures of a stored health document; null when there is none or it is not JSON. */
    public static HealthFigures parse(String document) {
        if (document == null) {
            return null;
        }
        JsonNode h;
        try {
            h = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (h == null || !h.isObject()) {
            return null;
        }
        return new HealthFigures(h.path("identity").path("version").asLong(-1), h.path("files").path("activeFiles").asLong(-1),
                h.path("files").path("totalBytes").asLong(-1), h.path("files").path("averageBytes").asLong(-1),
                h.path("files").path("smallFiles").asLong(-1), h.path("log").path("commitsSinceCheckpoint").asLong(-1),
                h.path("log").path("objects").asLong(-1), h.path("tombstones").path("count").asLong(-1),
                h.path("readCost").path("snapshotMillis").asLong(-1));
    }

    /**
     * True when nothing maintenance moves changed between {@code this} (before a run) and {@code after}: files, bytes,
     * log objects, commits since the checkpoint and tombstones.
     */
    public boolean sameMaintenanceFigures(HealthFigures after) {
        return files == after.files && totalBytes == after.totalBytes && logObjects == after.logObjects
                && commitsSinceCheckpoint == after.commitsSinceCheckpoint && tombstones == after.tombstones;
    }
}
