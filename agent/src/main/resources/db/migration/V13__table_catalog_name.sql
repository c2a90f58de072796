-- What a catalog calls a table (issue 24). A table stays known by its canonical path (table_path, as everywhere else),
-- whether it was reached by name or by path; this row names it beside the path for history, report and the dashboard.
-- The latest name seen wins (CatalogNameStore).
CREATE TABLE table_catalog_name (
    table_path    VARCHAR(2048) NOT NULL PRIMARY KEY,
    catalog       VARCHAR(128)  NOT NULL,
    catalog_table VARCHAR(1024) NOT NULL,
    seen_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
