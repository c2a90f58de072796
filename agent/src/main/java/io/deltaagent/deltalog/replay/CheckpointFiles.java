package io.deltaagent.deltalog.replay;

import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.deltalog.segment.Checkpoint;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.storage.LogPaths;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a checkpoint is made of, from its non-file actions: the files that hold its add actions (the parts of a
 * classic or multi-part checkpoint; a v2 checkpoint's top-level file and its sidecars) and the table metadata it
 * records. A v2 checkpoint must name its own version in a checkpointMetadata action.
 *
 * @param fileActionFiles paths, in reading order, with whether each must have an add column
 * @param metadata the checkpoint's metaData (null when it has none, which the caller reports)
 */
public record CheckpointFiles(Checkpoint checkpoint, List<Source> fileActionFiles, TableMetadata metadata) {

    /** One file holding file actions, with its length as listed (negative: not known). */
    public record Source(String path, long length, String display, boolean addRequired) {
        public boolean isJson() {
            return path.endsWith(".json");
        }
    }

    public CheckpointFiles {
        fileActionFiles = List.copyOf(fileActionFiles);
    }

    /** A sidecar named by a v2 checkpoint: relative to {@code _delta_log/_sidecars/}, or a full path. */
    static String sidecarPath(Checkpoint checkpoint, String sidecar) {
        return sidecar.contains("/") ? LogPaths.normalize(sidecar)
                : LogPaths.child(LogPaths.child(LogPaths.parent(checkpoint.files().get(0)), "_sidecars"), sidecar);
    }

    /**
     * The checkpoint's top-level parts, known from the listing before its sparse actions are read: the file-action pass
     * starts on them while those are read. Whether each must hold an add column is known only from the sparse actions
     * ({@link #partsHoldAdds}): here none must.
     */
    public static List<Source> topLevel(CheckpointActions actions) {
        List<Source> sources = new ArrayList<>();
        for (String part : actions.checkpoint().files()) {
            sources.add(new Source(part, actions.lengthOf(part), "_delta_log/" + LogPaths.name(part), false));
        }
        return sources;
    }

    /** Whether the top-level parts must hold the file actions (classic and multi-part checkpoints; not v2). */
    public boolean partsHoldAdds() {
        return fileActionFiles.get(0).addRequired();
    }

    /** The sidecars of a v2 checkpoint, in reading order (after the top-level parts). */
    public List<Source> sidecarFiles() {
        return fileActionFiles.subList(checkpoint.files().size(), fileActionFiles.size());
    }

    /** From the checkpoint's sparse actions, read once per audit (no read of its own): waits for their pass to end. */
    public static CheckpointFiles of(CheckpointActions actions) throws IOException {
        Checkpoint checkpoint = actions.checkpoint();
        CheckpointActions.Header header = actions.header();
        List<String> sidecars = header.sidecars;
        List<Long> declaredVersions = header.declaredVersions;
        String top = "_delta_log/" + LogPaths.name(checkpoint.files().get(0));
        for (long declared : declaredVersions) {
            if (declared != checkpoint.version()) {
                throw new CorruptLogException("checkpoint " + top + " declares version " + declared
                        + " in its checkpointMetadata action, not the version " + checkpoint.version() + " its name says");
            }
        }
        boolean v2 = !declaredVersions.isEmpty() || !sidecars.isEmpty();
        if (checkpoint.type() == LogFile.Type.CHECKPOINT_V2 && declaredVersions.isEmpty()) {
            throw new CorruptLogException("v2 checkpoint " + top + " has no checkpointMetadata action, which the Delta "
                    + "protocol requires of a UUID-named checkpoint");
        }
        // classic and multi-part parts hold the file actions themselves; a v2 top-level file may leave them to sidecars
        List<Source> all = new ArrayList<>();
        for (Source s : topLevel(actions)) {
            all.add(new Source(s.path(), s.length(), s.display(), !v2));
        }
        for (String sidecar : sidecars) {
            String p = sidecarPath(checkpoint, sidecar);
            all.add(new Source(p, actions.lengthOf(p), "_delta_log/_sidecars/" + LogPaths.name(p), true));
        }
        return new CheckpointFiles(checkpoint, all, header.metadata);
    }
}
