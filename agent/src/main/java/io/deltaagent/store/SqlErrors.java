package io.deltaagent.store;

import java.sql.SQLException;

/** A database error as a person should read it: what went wrong, without the SQL statement a driver appends. */
final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * The message of {@code e} without H2's "; SQL statement: ..." tail (the statement is the agent's, not the user's
     * to act on, and it may carry values); H2's error code ("[90097-240]") stays, for a search or a support question.
     */
    static String message(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int sql = message.indexOf("; SQL statement:");
        if (sql < 0) {
            return message;
        }
        String code = message.matches("(?s).*\\[\\d+-\\d+]\\s*$") ? " " + message.substring(message.lastIndexOf('[')).trim() : "";
        return message.substring(0, sql) + code;
    }
}
