package io.deltaagent.deltalog;

import io.deltaagent.features.TableFeatures;
import io.deltaagent.health.CatalogManaged;

/**
 * What reading a catalog-managed table by path gives: PROTOCOL.md's catalogManaged lets a reader without the catalog
 * read the published versions only, so the figures are those of the newest published commit; staged commits are
 * counted, never replayed (only the catalog knows which of them were ratified).
 */
final class CatalogManagedRead {

    private CatalogManagedRead() {
    }

    /** @return null when the protocol does not make the table catalog-managed */
    static CatalogManaged of(ProtocolInfo protocol, long publishedVersion, long stagedCommitFiles) {
        String feature = TableFeatures.catalogManaged(protocol.readerFeatures());
        if (feature == null) {
            feature = TableFeatures.catalogManaged(protocol.writerFeatures());
        }
        return feature == null ? null : new CatalogManaged(feature, publishedVersion, stagedCommitFiles);
    }
}
