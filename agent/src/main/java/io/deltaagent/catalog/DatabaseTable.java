package io.deltaagent.catalog;

/** A {@code database.table} name as Glue and Hive Metastore tables are named in the config. */
record DatabaseTable(String database, String table) {

    static DatabaseTable parse(String catalog, String name) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new CatalogException(catalog, "table name '" + name + "' is not of the form database.table");
        }
        return new DatabaseTable(name.substring(0, dot), name.substring(dot + 1));
    }
}
