package org.carbonupgrade.rehearsal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A batched prepared statement: add rows, flushed every 5,000 rows and on close. One table per batch, so
 * foreign keys see their parents: close a parent's batch before opening its children's.
 */
final class Batch implements AutoCloseable {
    private static final int SIZE = 5000;
    private final Connection c;
    private final PreparedStatement ps;
    private final String identityTable;
    private int pending;

    Batch(Connection c, String sql) throws SQLException {
        this.c = c;
        this.identityTable = ExplicitIds.sqlServerIdentityTable(c, sql);
        if (identityTable != null) ExplicitIds.execute(c, "SET IDENTITY_INSERT " + identityTable + " ON");
        ps = c.prepareStatement(sql);
    }

    void add(Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) ps.setObject(i + 1, values[i]);
        ps.addBatch();
        if (++pending == SIZE) flush();
    }

    private void flush() throws SQLException {
        if (pending > 0) ps.executeBatch();
        pending = 0;
    }

    @Override
    public void close() throws SQLException {
        try {
            flush();
        } finally {
            ps.close();
            if (identityTable != null) ExplicitIds.execute(c, "SET IDENTITY_INSERT " + identityTable + " OFF");
        }
    }
}
