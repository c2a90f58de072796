package io.deltaagent.store;

import io.deltaagent.testing.PostgresTestServer;

/** The history store's tests on a real PostgreSQL server started on 127.0.0.1 by the test setup. */
class PostgresHistoryStoreTest extends HistoryStoreTest {

    @Override
    HistoryStore open() {
        return HistoryStore.open(PostgresTestServer.shared().jdbcUrl(), "agent", "");
    }
}
