package dev.jfdw.api;

/**
 * SQLSTATE codes connectors commonly report. Any code of five digits or
 * upper-case letters is allowed.
 */
public final class SqlState {
    private SqlState() {}

    // class 22: data exception
    public static final String DATA_EXCEPTION = "22000";
    public static final String STRING_DATA_RIGHT_TRUNCATION = "22001";
    public static final String NUMERIC_VALUE_OUT_OF_RANGE = "22003";
    public static final String INVALID_DATETIME_FORMAT = "22007";
    public static final String DATETIME_FIELD_OVERFLOW = "22008";
    public static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    public static final String INVALID_PARAMETER_VALUE = "22023";
    public static final String INVALID_TEXT_REPRESENTATION = "22P02";
    public static final String INVALID_BINARY_REPRESENTATION = "22P03";
    public static final String BAD_COPY_FILE_FORMAT = "22P04";
    public static final String UNTRANSLATABLE_CHARACTER = "22P05";
    public static final String NOT_NULL_VIOLATION = "23502";
    public static final String INVALID_AUTHORIZATION_SPECIFICATION = "28000";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String UNDEFINED_COLUMN = "42703";
    public static final String DATATYPE_MISMATCH = "42804";
    public static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    public static final String QUERY_CANCELED = "57014";
    public static final String UNDEFINED_FILE = "58P01";
    public static final String IO_ERROR = "58030";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String AMBIGUOUS_COLUMN = "42702";
    public static final String INTERNAL_ERROR = "XX000";
    public static final String DATA_CORRUPTED = "XX001";

    // class HV: foreign data wrapper error
    public static final String FDW_ERROR = "HV000";
    public static final String FDW_COLUMN_NAME_NOT_FOUND = "HV005";
    public static final String FDW_DYNAMIC_PARAMETER_VALUE_NEEDED = "HV002";
    public static final String FDW_INVALID_DATA_TYPE = "HV004";
    public static final String FDW_INVALID_OPTION_NAME = "HV00D";
    public static final String FDW_INVALID_ATTRIBUTE_VALUE = "HV024";
    public static final String FDW_OPTION_NAME_NOT_FOUND = "HV00J";
    public static final String FDW_UNABLE_TO_ESTABLISH_CONNECTION = "HV00N";
    public static final String FDW_TABLE_NOT_FOUND = "HV00R";
    public static final String FDW_SCHEMA_NOT_FOUND = "HV00Q";

    static String check(String code) {
        if (code.length() != 5 || !code.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
            throw new IllegalArgumentException("not a SQLSTATE: \"" + code + "\"");
        }
        return code;
    }
}
