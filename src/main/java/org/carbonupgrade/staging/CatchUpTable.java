package org.carbonupgrade.staging;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.carbonupgrade.Engine;

/**
 * One staged table as the stage recorded it (CARBON_UPGRADE_STAGE_TABLE, parents first): its production side (4.0.0
 * columns) and its staging side (4.2.0 columns; null when the upgrade dropped the table on this engine, e.g.
 * UM_CLAIM_BEHAVIOR on H2 and MySQL). Every name passed RowHashSql.checkName when the stage recorded it; catch-up
 * writes no other names into SQL.
 */
record CatchUpTable(StagedTable production, StagedTable staging) {

    static List<CatchUpTable> read(Connection c) throws SQLException {
        Map<String, StagedTable> upgraded = new LinkedHashMap<>();
        for (StagedTable t : StageBase.recorded(c, StageBase.STAGING)) upgraded.put(t.name(), t);
        List<CatchUpTable> out = new ArrayList<>();
        for (StagedTable p : StageBase.recorded(c, StageBase.PRODUCTION)) out.add(new CatchUpTable(p, upgraded.get(p.name())));
        return out;
    }

    /**
     * MySQL/MariaDB: the tables with each side's expressions in the bare form where that side's database allows it
     * (RowHashSql.bareColumns, read from production for the production side and from staging for the staging side: each
     * side's expressions run only on its own database). The same fingerprints, computed faster.
     */
    static List<CatchUpTable> withBare(List<CatchUpTable> tables, Map<String, java.util.Set<String>> production,
            Map<String, java.util.Set<String>> staging) {
        List<CatchUpTable> out = new ArrayList<>();
        for (CatchUpTable t : tables) {
            out.add(new CatchUpTable(t.production.withBare(production.getOrDefault(t.name(), java.util.Set.of())),
                    t.staging == null ? null : t.staging.withBare(staging.getOrDefault(t.name(), java.util.Set.of()))));
        }
        return out;
    }

    String name() {
        return production.name();
    }

    List<String> keyColumns() {
        return production.keyColumns();
    }

    int buckets() {
        return production.buckets();
    }

    List<String> productionColumns() {
        return production.columns();
    }

    List<String> stagingColumns() {
        return staging == null ? null : staging.columns();
    }

    StagedTable side(char side) {
        return side == StageBase.PRODUCTION ? production : staging;
    }

    /** Columns 4.2.0 added to this table (catch-up leaves them at their default, e.g. UM_DOMAIN_ID NULL). */
    List<String> addedColumns() {
        if (staging == null) return List.of();
        List<String> added = new ArrayList<>(staging.columns());
        added.removeAll(production.columns());
        return added;
    }

    List<String> nonKeyProductionColumns() {
        List<String> rest = new ArrayList<>(production.columns());
        rest.removeAll(production.keyColumns());
        return rest;
    }

    /**
     * One row per key of the live table on this side: key text, hash, bucket, the key's values and how many rows
     * carry the key (always 1 with a primary key; a table without one, keyed on all its columns, may repeat a row).
     * The same bucket, key text and hash as the stage's base rows (StageBase.baseRowsSelect).
     */
    String liveRows(Engine engine, char side) {
        return liveRows(engine, side, null);
    }

    /**
     * As {@link #liveRows(Engine, char)}, with the rows of a table with id-range buckets narrowed to these buckets' id
     * ranges (the primary key's index reads them; null: every row). The caller still tests each row's bucket.
     */
    String liveRows(Engine engine, char side, java.util.Set<Integer> buckets) {
        StagedTable t = side(side);
        return liveRowsWhere(engine, side, buckets != null && t.rangeBuckets() ? t.bucketRanges(buckets) : null);
    }

    /**
     * As {@link #liveRows(Engine, char)}, with the rows narrowed by {@code condition} on the table's own columns (null:
     * every row): a condition built by this package from checked names and numbers it formatted, never outside text.
     */
    String liveRowsWhere(Engine engine, char side, String condition) {
        StagedTable t = side(side);
        String keys = String.join(", ", t.keyColumns());
        String inner = "SELECT " + t.bucket(engine) + " AS B, " + t.keyText(engine) + " AS K, " + t.rowHash(engine) + " AS H, " + keys
                + " FROM " + t.name() + (condition != null ? " WHERE " + condition : "");
        if (t.primaryKey()) return "SELECT R.K AS K, R.H AS H, R.B AS B, " + prefixed(t) + ", 1 AS N FROM (" + inner + ") R";
        return "SELECT R.K AS K, SUM(R.H) AS H, MIN(R.B) AS B, " + prefixed(t) + ", COUNT(*) AS N FROM (" + inner + ") R GROUP BY R.K, "
                + prefixed(t);
    }

    private static String prefixed(StagedTable t) {
        return String.join(", ", t.keyColumns().stream().map(k -> "R." + k).toList());
    }
}
