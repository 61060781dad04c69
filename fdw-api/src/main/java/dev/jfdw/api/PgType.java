package dev.jfdw.api;

/**
 * A PostgreSQL type: its OID and its name as {@code format_type} spells it,
 * e.g. {@code character varying(20)}. The constants are the OIDs of the
 * built-in types that have a binary codec; every other type (domains,
 * enums, arrays, extension types) goes through its input function.
 */
public record PgType(int oid, String name) {
    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int JSON = 114;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int INTERVAL = 1186;
    public static final int NUMERIC = 1700;
    public static final int UUID = 2950;
    public static final int JSONB = 3802;

    @Override
    public String toString() {
        return name;
    }
}
