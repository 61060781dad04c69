package dev.jfdw.api.fdw;

import java.util.List;
import java.util.Map;

/** An IMPORT FOREIGN SCHEMA statement ({@code ImportForeignSchemaStmt}). */
public interface ImportForeignSchemaStmt extends PgStruct {
    /** LIMIT TO, EXCEPT, or neither. */
    enum ListType { ALL, LIMIT_TO, EXCEPT }

    String remoteSchema();

    String localSchema();

    ListType listType();

    /** The tables of LIMIT TO or EXCEPT. */
    List<String> tables();

    Map<String, String> options();
}
