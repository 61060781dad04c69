package dev.jfdw.api;

import java.util.List;

/**
 * A PostgreSQL type: its OID, its name as {@code format_type} spells it
 * (e.g. {@code character varying(20)}), what kind of type it is, and what
 * it is made of. The constants are the OIDs of the built-in types jfdw
 * names, most with a binary codec (name, json and jsonb go through their
 * input functions, as every other type does: domains, enums, arrays,
 * extension types).
 *
 * @param oid    the type's OID
 * @param name   its name, with the column's modifier
 * @param kind   base, domain, enum, array, ...
 * @param of     a domain's base type (through nested domains), an array's
 *               element type, a range's subtype; else null
 * @param labels an enum's labels, in their sort order; else empty
 */
public record PgType(int oid, String name, Kind kind, PgType of, List<String> labels) {
    /** What kind of type: PostgreSQL's typtype, with arrays apart from other base types. */
    public enum Kind { BASE, DOMAIN, ENUM, ARRAY, COMPOSITE, RANGE, OTHER }

    public PgType {
        labels = List.copyOf(labels);
    }

    /** A base type. */
    public PgType(int oid, String name) {
        this(oid, name, Kind.BASE, null, List.of());
    }

    /** The type whose values these are: a domain's base type, else this type. */
    public PgType base() {
        return kind == Kind.DOMAIN ? of : this;
    }

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
