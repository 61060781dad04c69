package dev.jfdw.api.fdw;

import dev.jfdw.api.Explain;

/** EXPLAIN's state ({@code ExplainState}), to which a scan adds properties. */
public interface ExplainState extends PgStruct, Explain {
}
