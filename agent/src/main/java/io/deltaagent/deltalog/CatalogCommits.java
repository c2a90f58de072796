package io.deltaagent.deltalog;

import io.deltaagent.storage.TableLocation;
import java.util.Objects;
import java.util.Optional;

/**
 * Port to the catalog a table was reached through, asked only for catalog-managed tables: the commits it ratified and
 * has not published. Implemented at the edge (the Unity Catalog adapter); the reader knows nothing of HTTP.
 */
@FunctionalInterface
public interface CatalogCommits {

    /** No catalog: every table is read by path (published versions only). */
    CatalogCommits NONE = table -> Optional.empty();

    /**
     * @return empty when the table was not reached through a catalog that can be asked; else the answer. Never throws:
     *         a catalog that fails answers with {@link Answer#unavailable}
     */
    Optional<Answer> ask(TableLocation table);

    /**
     * @param catalog     the catalog's name in the config
     * @param commits     what it said, or null when it could not say
     * @param unavailable why not (the call is not offered, or failed), when {@code commits} is null
     */
    record Answer(String catalog, RatifiedCommits commits, String unavailable) {
        public Answer {
            Objects.requireNonNull(catalog, "catalog");
            if ((commits == null) == (unavailable == null)) {
                throw new IllegalArgumentException("an answer has either commits or the reason there are none");
            }
        }

        public static Answer of(String catalog, RatifiedCommits commits) {
            return new Answer(catalog, commits, null);
        }

        public static Answer unavailable(String catalog, String why) {
            return new Answer(catalog, null, why);
        }
    }
}
