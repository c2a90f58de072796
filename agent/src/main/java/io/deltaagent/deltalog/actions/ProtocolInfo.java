package io.deltaagent.deltalog.actions;

import java.util.List;

/** The table's protocol action: reader and writer versions and, from versions 3 and 7, named features. */
public record ProtocolInfo(int minReaderVersion, int minWriterVersion, List<String> readerFeatures, List<String> writerFeatures) {
    public ProtocolInfo {
        readerFeatures = List.copyOf(readerFeatures);
        writerFeatures = List.copyOf(writerFeatures);
    }

    /** A short form for messages: {@code reader 3 [deletionVectors], writer 7 [...]}. */
    public String describe() {
        return "reader version " + minReaderVersion + (readerFeatures.isEmpty() ? "" : " " + readerFeatures)
                + ", writer version " + minWriterVersion + (writerFeatures.isEmpty() ? "" : " " + writerFeatures);
    }
}
