package io.deltaagent.deltalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a checkpoint is made of, from its non-file actions: the files that hold its add actions (the parts of a
 * classic or multi-part checkpoint; a v2 checkpoint's top-level file and its sidecars) and the table metadata it
 * records. A v2 checkpoint must name its own version in a checkpointMetadata action.
 *
 * @param fileActionFiles paths, in reading order, with whether each must have an add column
 * @param metadata the checkpoint's metaData (null when it has none, which the caller reports)
 */
record CheckpointFiles(Checkpoint checkpoint, List<Source> fileActionFiles, TableMetadata metadata) {

    /** One file holding file actions. */
    record Source(Path path, String display, boolean addRequired) {
        boolean isJson() {
            return path.getName().endsWith(".json");
        }
    }

    CheckpointFiles {
        fileActionFiles = List.copyOf(fileActionFiles);
    }

    /** A sidecar named by a v2 checkpoint: relative to {@code _delta_log/_sidecars/}, or a full path. */
    static Path sidecarPath(Checkpoint checkpoint, String sidecar) {
        return sidecar.contains("/") ? new Path(sidecar)
                : new Path(new Path(new Path(checkpoint.files().get(0)).getParent(), "_sidecars"), sidecar);
    }

    static CheckpointFiles read(Configuration conf, FileSystem fs, Checkpoint checkpoint) throws IOException {
        TableMetadata[] metadata = new TableMetadata[1];
        List<String> sidecars = new ArrayList<>();
        List<Long> declaredVersions = new ArrayList<>();
        LogActionVisitor header = new LogActionVisitor() {
            @Override
            public void metadata(TableMetadata m) {
                metadata[0] = m;
            }

            @Override
            public void sidecar(String path) {
                sidecars.add(path);
            }

            @Override
            public void checkpointMetadata(long version) {
                declaredVersions.add(version);
            }

            @Override
            public boolean wantsFileActions() {
                return false;
            }
        };
        List<Source> sources = new ArrayList<>();
        for (String part : checkpoint.files()) {
            Path p = new Path(part);
            String display = "_delta_log/" + p.getName();
            if (p.getName().endsWith(".json")) {
                CommitReader.read(fs, p, header);
            } else {
                CheckpointHeaderReader.read(conf, p, display, header);
            }
            sources.add(new Source(p, display, false));
        }
        String top = "_delta_log/" + new Path(checkpoint.files().get(0)).getName();
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
        for (Source s : sources) {
            all.add(new Source(s.path(), s.display(), !v2));
        }
        for (String sidecar : sidecars) {
            Path p = sidecarPath(checkpoint, sidecar);
            all.add(new Source(p, "_delta_log/_sidecars/" + p.getName(), true));
        }
        return new CheckpointFiles(checkpoint, all, metadata[0]);
    }
}
