/**
 * The FdwRoutine mirror: PostgreSQL's foreign-data-wrapper callbacks as one
 * Java interface, {@link dev.jfdw.api.fdw.FdwRoutine}, and zero-copy views of
 * the planner's and executor's structs they receive.
 *
 * <p>For authors who need the planner itself; most connectors use the
 * {@link dev.jfdw.api.Connector} SPI, which jfdw builds on this layer.
 *
 * <p>A view reads PostgreSQL memory in place. It is valid while the memory
 * context owning the struct lives (the planner's for planning callbacks, the
 * query's for a scan); afterwards any access throws
 * {@link java.lang.IllegalStateException} instead of reading freed memory.
 * Views may only be used on the backend thread.
 */
package dev.jfdw.api.fdw;
