package dev.jfdw.api;

/** PostgreSQL's message levels below ERROR (to raise an error, throw {@link FdwException}). */
public enum LogLevel {
    DEBUG5, DEBUG4, DEBUG3, DEBUG2, DEBUG1,
    /** Server log only. */
    LOG,
    /** Always sent to the client. */
    INFO,
    NOTICE,
    WARNING
}
