package dev.jfdw.api;

/** Where an option may be set: the catalog object whose OPTIONS clause carries it. */
public enum OptionScope {
    WRAPPER("foreign data wrapper"),
    SERVER("server"),
    USER_MAPPING("user mapping"),
    TABLE("foreign table"),
    COLUMN("column"),
    /** The OPTIONS of IMPORT FOREIGN SCHEMA. */
    IMPORT("IMPORT FOREIGN SCHEMA");

    private final String label;

    OptionScope(String label) {
        this.label = label;
    }

    /** How PostgreSQL's messages name the object, e.g. "foreign table". */
    public String label() {
        return label;
    }
}
