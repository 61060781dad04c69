package dev.jfdw.connectors.arrow;

import dev.jfdw.api.ColumnBatch.Encoding;
import dev.jfdw.api.ForeignTableDefinition;
import dev.jfdw.api.ForeignTableDefinition.ColumnDefinition;
import dev.jfdw.api.PgType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.UnionMode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Which Arrow types become which PostgreSQL types, and how their vectors are encoded. */
final class ArrowTypes {
    static final String UUID_EXTENSION = "arrow.uuid";

    private ArrowTypes() {}

    static boolean isUuid(Field f) {
        return f.getType() instanceof ArrowType.FixedSizeBinary b && b.getByteWidth() == 16
                && UUID_EXTENSION.equals(f.getMetadata().get("ARROW:extension:name"));
    }

    /** The SQL type IMPORT FOREIGN SCHEMA gives a field. */
    static String sqlType(Field f) {
        return switch (f.getType()) {
            case ArrowType.Int i when i.getIsSigned() -> switch (i.getBitWidth()) {
                case 8, 16 -> "smallint";
                case 32 -> "integer";
                default -> "bigint";
            };
            case ArrowType.Int i -> switch (i.getBitWidth()) {
                case 8 -> "smallint";
                case 16 -> "integer";
                case 32 -> "bigint";
                default -> "numeric(20,0)";
            };
            case ArrowType.FloatingPoint p -> p.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE
                    ? "double precision" : "real";
            case ArrowType.Decimal d -> "numeric(" + d.getPrecision() + "," + d.getScale() + ")";
            case ArrowType.Bool b -> "boolean";
            case ArrowType.Utf8 u -> "text";
            case ArrowType.LargeUtf8 u -> "text";
            case ArrowType.Utf8View u -> "text";
            case ArrowType.Binary b -> "bytea";
            case ArrowType.LargeBinary b -> "bytea";
            case ArrowType.BinaryView b -> "bytea";
            case ArrowType.FixedSizeBinary b -> isUuid(f) ? "uuid" : "bytea";
            case ArrowType.Date d -> "date";
            case ArrowType.Time t -> "time";
            case ArrowType.Timestamp t -> zoned(t) ? "timestamptz" : "timestamp";
            case ArrowType.Duration d -> "interval";
            case ArrowType.Interval i -> "interval";
            case ArrowType.List l -> arrayOf(f);
            case ArrowType.LargeList l -> arrayOf(f);
            case ArrowType.FixedSizeList l -> arrayOf(f);
            case ArrowType.ListView l -> arrayOf(f);
            case ArrowType.LargeListView l -> arrayOf(f);
            case ArrowType.RunEndEncoded r -> sqlType(f.getChildren().get(1)); // as its values
            default -> "jsonb"; // struct, map, union
        };
    }

    /** Whether a timestamp type has a time zone: Arrow's schema says an empty one is none. */
    static boolean zoned(ArrowType.Timestamp t) {
        return t.getTimezone() != null && !t.getTimezone().isEmpty();
    }

    /** A list of scalars becomes an array of their type; anything deeper, jsonb. */
    private static String arrayOf(Field list) {
        Field element = list.getChildren().getFirst();
        String type = sqlType(element);
        return type.equals("jsonb") || type.endsWith("[]") ? "jsonb" : type + "[]";
    }

    /**
     * A column per field, named after it. A name longer than PostgreSQL
     * keeps is cut, and one alike in those bytes gets a number, with a
     * field option naming the field; fields of one name, which no column
     * could tell apart, are left out.
     */
    static List<ColumnDefinition> columns(Schema schema) {
        Set<String> ambiguous = Set.copyOf(ambiguousNames(schema));
        Set<String> names = new HashSet<>();
        List<ColumnDefinition> columns = new ArrayList<>();
        for (Field f : schema.getFields()) {
            if (ambiguous.contains(f.getName())) {
                continue;
            }
            // PostgreSQL has no empty names: an empty field's column is named after its position
            String base = f.getName().isEmpty() ? "column" + (columns.size() + 1) : f.getName();
            String name = ForeignTableDefinition.name(base, "");
            for (int n = 2; !names.add(name); n++) {
                name = ForeignTableDefinition.name(base, "_" + n);
            }
            columns.add(new ColumnDefinition(name, sqlType(f),
                    name.equals(f.getName()) ? Map.of() : Map.of(ArrowConnector.FIELD.name(), f.getName())));
        }
        return columns;
    }

    /** Names that more than one top-level field has, in the order first met. */
    static List<String> ambiguousNames(Schema schema) {
        return schema.getFields().stream()
                .collect(Collectors.groupingBy(Field::getName, LinkedHashMap::new, Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /**
     * Whether a field's values can fill a column of {@code type} (a domain:
     * of its base type, whose constraints it then checks). Strings go into
     * any type (through its input function); everything goes into text.
     */
    static boolean fits(Field f, PgType type) {
        PgType base = type.base();
        int t = base.oid();
        boolean array = base.kind() == PgType.Kind.ARRAY;
        boolean text = t == PgType.TEXT || t == PgType.VARCHAR || t == PgType.BPCHAR;
        boolean json = t == PgType.JSON || t == PgType.JSONB;
        boolean number = t == PgType.INT2 || t == PgType.INT4 || t == PgType.INT8 || t == PgType.FLOAT4
                || t == PgType.FLOAT8 || t == PgType.NUMERIC;
        return text || switch (f.getType()) {
            case ArrowType.Null n -> true;
            case ArrowType.Utf8 u -> true;
            case ArrowType.LargeUtf8 u -> true;
            case ArrowType.Utf8View u -> true;
            case ArrowType.Int i -> number;
            case ArrowType.FloatingPoint p -> number;
            case ArrowType.Decimal d -> number;
            case ArrowType.Bool b -> t == PgType.BOOL;
            case ArrowType.Binary b -> t == PgType.BYTEA;
            case ArrowType.LargeBinary b -> t == PgType.BYTEA;
            case ArrowType.BinaryView b -> t == PgType.BYTEA;
            case ArrowType.FixedSizeBinary b -> t == PgType.BYTEA || (t == PgType.UUID && b.getByteWidth() == 16);
            case ArrowType.Date d -> t == PgType.DATE || t == PgType.TIMESTAMP || t == PgType.TIMESTAMPTZ;
            case ArrowType.Time x -> t == PgType.TIME;
            case ArrowType.Timestamp x -> t == PgType.TIMESTAMP || t == PgType.TIMESTAMPTZ;
            case ArrowType.Duration d -> t == PgType.INTERVAL;
            case ArrowType.Interval i -> t == PgType.INTERVAL;
            case ArrowType.List l -> json || array && elementsFit(f, base);
            case ArrowType.LargeList l -> json || array && elementsFit(f, base);
            case ArrowType.FixedSizeList l -> json || array && elementsFit(f, base);
            case ArrowType.ListView l -> json || array && elementsFit(f, base);
            case ArrowType.LargeListView l -> json || array && elementsFit(f, base);
            case ArrowType.RunEndEncoded r -> fits(f.getChildren().get(1), type);
            default -> json;
        };
    }

    /**
     * Whether a list's elements fit an array's: a list of lists is more
     * dimensions of the same array; into json[] or jsonb[], each element is
     * its JSON value.
     */
    private static boolean elementsFit(Field list, PgType array) {
        Field element = list.getChildren().getFirst();
        int of = array.of().base().oid();
        return switch (element.getType()) {
            case ArrowType.List l -> fits(element, array);
            case ArrowType.LargeList l -> fits(element, array);
            case ArrowType.FixedSizeList l -> fits(element, array);
            case ArrowType.ListView l -> fits(element, array);
            case ArrowType.LargeListView l -> fits(element, array);
            default -> of == PgType.JSON || of == PgType.JSONB || fits(element, array.of());
        };
    }

    /**
     * Whether two fields hold the same values: the same type, at every
     * depth (struct fields by name), and both uuids or neither. Not
     * nullability, metadata, or dictionary encoding (fields here are
     * {@link ArrowFiles#valueField value fields}).
     */
    static boolean sameType(Field a, Field b) {
        if (!normalized(a.getType()).equals(normalized(b.getType())) || isUuid(a) != isUuid(b)
                || a.getChildren().size() != b.getChildren().size()) {
            return false;
        }
        for (int i = 0; i < a.getChildren().size(); i++) {
            Field x = a.getChildren().get(i);
            Field y = b.getChildren().get(i);
            if (!sameType(x, y) || a.getType() instanceof ArrowType.Struct && !x.getName().equals(y.getName())) {
                return false;
            }
        }
        return true;
    }

    /** A timestamp's zone "" as none, which Arrow's schema says it is. */
    private static ArrowType normalized(ArrowType t) {
        return t instanceof ArrowType.Timestamp x && !zoned(x) ? new ArrowType.Timestamp(x.getUnit(), null) : t;
    }

    /**
     * A dense union, at any depth of {@code f}, whose type ids are not in
     * ascending order, or null. Arrow Java orders a dense union's members by
     * type id and then pairs them with the file's buffers in that order:
     * such a union does not load.
     */
    static Field unorderedDenseUnion(Field f) {
        if (f.getType() instanceof ArrowType.Union u && u.getMode() == UnionMode.Dense && u.getTypeIds() != null) {
            int[] ids = u.getTypeIds();
            for (int k = 1; k < ids.length; k++) {
                if (ids[k] <= ids[k - 1]) {
                    return f;
                }
            }
        }
        for (Field child : f.getChildren()) {
            Field found = unorderedDenseUnion(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** How a fixed-width vector of this type is laid out, or null if it has no such form. */
    static Encoding encoding(ArrowType type) {
        return switch (type) {
            case ArrowType.Bool b -> Encoding.BOOL_BITS;
            case ArrowType.Int i -> switch (i.getBitWidth()) {
                case 8 -> i.getIsSigned() ? Encoding.INT8 : Encoding.UINT8;
                case 16 -> i.getIsSigned() ? Encoding.INT16 : Encoding.UINT16;
                case 32 -> i.getIsSigned() ? Encoding.INT32 : Encoding.UINT32;
                default -> i.getIsSigned() ? Encoding.INT64 : Encoding.UINT64;
            };
            case ArrowType.FloatingPoint p -> switch (p.getPrecision()) {
                case SINGLE -> Encoding.FLOAT32;
                case DOUBLE -> Encoding.FLOAT64;
                case HALF -> null;
            };
            case ArrowType.Date d -> d.getUnit() == DateUnit.DAY ? Encoding.DATE_DAYS : Encoding.DATE_MILLIS;
            case ArrowType.Time t -> switch (t.getUnit()) {
                case SECOND -> Encoding.TIME_SECONDS;
                case MILLISECOND -> Encoding.TIME_MILLIS;
                case MICROSECOND -> Encoding.TIME_MICROS;
                case NANOSECOND -> Encoding.TIME_NANOS;
            };
            case ArrowType.Timestamp t -> switch (t.getUnit()) {
                case SECOND -> Encoding.TIMESTAMP_SECONDS;
                case MILLISECOND -> Encoding.TIMESTAMP_MILLIS;
                case MICROSECOND -> Encoding.TIMESTAMP_MICROS;
                case NANOSECOND -> Encoding.TIMESTAMP_NANOS;
            };
            case ArrowType.Duration d -> duration(d.getUnit());
            default -> null;
        };
    }

    private static Encoding duration(TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Encoding.DURATION_SECONDS;
            case MILLISECOND -> Encoding.DURATION_MILLIS;
            case MICROSECOND -> Encoding.DURATION_MICROS;
            case NANOSECOND -> Encoding.DURATION_NANOS;
        };
    }
}
