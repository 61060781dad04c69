/*-------------------------------------------------------------------------
 *
 * jfdw.h
 *	  Shared declarations of the jfdw glue: the bridge between the backend
 *	  and the JVM it hosts.
 *
 * Only two kinds of calls cross the boundary, each with one uniform
 * signature so the JVM creates as few FFM stubs as possible:
 *
 *	upcall:  int64 upcall(int32 op, Datum *argv)	  (C calls Java)
 *	guard:	 int32 guard(JfdwDowncall fn, Datum *argv) (Java calls Postgres)
 *	direct:	 int32 direct(JfdwDowncall fn, Datum *argv) (the same, for calls
 *			 that cannot raise)
 *
 * Java never sees a longjmp and C never sees a Java exception: the upcall
 * returns a status, the guard catches any ERROR and parks it until the
 * upcall returns (see bridge.c).
 *
 *-------------------------------------------------------------------------
 */
#ifndef JFDW_H
#define JFDW_H

#include "postgres.h"

#include "access/htup.h"
#include "storage/block.h"
#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/palloc.h"
#include "utils/relcache.h"

/* Bumped whenever the layout of JfdwBridge or the op codes change. */
#define JFDW_BRIDGE_VERSION 3

/*
 * Upcall op codes.  Must match dev.jfdw.runtime.Op.
 */
typedef enum JfdwOp
{
	JFDW_OP_VALIDATE = 1,		/* argv: routine oid, options List *, catalog */
	JFDW_OP_REL_SIZE,			/* argv: root, baserel, relid, routine oid */
	JFDW_OP_PATHS,				/* argv: root, baserel, relid, routine oid */
	JFDW_OP_PLAN,				/* argv: root, baserel, relid, routine oid,
								 * best_path, tlist, scan_clauses, outer_plan;
								 * result ForeignScan * in argv[0] */
	JFDW_OP_BEGIN,				/* argv: node, eflags, JfdwScanState *, routine */
	JFDW_OP_ITERATE,			/* argv: JfdwScanState *; returns rows */
	JFDW_OP_RESCAN,				/* argv: JfdwScanState * */
	JFDW_OP_END,				/* argv: JfdwScanState * */
	JFDW_OP_EXPLAIN,			/* argv: JfdwScanState *, ExplainState * */
	JFDW_OP_RELEASE,			/* argv: java handle; query context went away */
	JFDW_OP_STATUS,				/* argv: out text * */
	JFDW_OP_IMPORT,				/* argv: ImportForeignSchemaStmt *, server oid,
								 * routine oid; result List * of command
								 * strings in argv[0] */
	JFDW_OP_OPTIONS,			/* argv: connector name; out text * */
	JFDW_OP_ANALYZE				/* argv: relid, owner, routine oid; result
								 * float8 rows in argv[0], -1 = skip it */
} JfdwOp;

/* Negative upcall results. */
#define JFDW_STATUS_JAVA_ERROR	(-1)	/* JfdwJavaError filled in */
#define JFDW_STATUS_PG_ERROR	(-2)	/* a Postgres error is pending */
#define JFDW_STATUS_INTERRUPT	(-3)	/* Java saw a pending cancel/die */

/* Results of a guarded downcall. */
#define JFDW_GUARD_OK		0
#define JFDW_GUARD_PG_ERROR 1		/* error parked in jfdw_pending_error */
#define JFDW_GUARD_REFUSED	2		/* an earlier error has not propagated */

/*
 * An error raised by Java code, filled in by the runtime before it returns
 * JFDW_STATUS_JAVA_ERROR.  Strings are NUL-terminated, in the server
 * encoding, truncated by Java to fit.
 */
typedef struct JfdwJavaError
{
	char		sqlstate[8];
	char		message[4096];
	char		detail[16384];
	char		hint[1024];
	char		context[1024];
} JfdwJavaError;

/* A named offsetof/sizeof/constant value, exported to Java at boot. */
typedef struct JfdwOffset
{
	const char *name;
	int64		value;
} JfdwOffset;

/* A C function Java may call, exported to Java at boot. */
typedef struct JfdwSymbol
{
	const char *name;
	void	   *address;
} JfdwSymbol;

typedef int32 (*JfdwDowncall) (Datum *argv);
typedef int64 (*JfdwUpcall) (int32 op, Datum *argv);

/*
 * The one struct whose layout Java knows without the offset table, because
 * the table is found through it.  Every field is 8 bytes wide.  The tables
 * travel as a blob of '\n'-separated names plus an array of values, which
 * Java reads with two bulk copies: scanning C strings one by one costs
 * milliseconds in a JVM that has not compiled anything yet.
 */
typedef struct JfdwBridge
{
	int64		version;
	int64		noffsets;
	const char *offset_names;	/* noffsets names, each followed by '\n' */
	int64		offset_names_len;
	const int64 *offset_values;
	int64		nsymbols;
	const char *symbol_names;
	int64		symbol_names_len;
	void	  **symbol_addresses;
	JfdwUpcall	upcall;			/* JNI entry (jvm.c), then the FFM stub Java
								 * links (Upcalls.LINK_STUB_AFTER) */
} JfdwBridge;

/*
 * How one column of a columnar batch is served.  Vectors are in Arrow's
 * layout; Java has checked their bounds and values before handing them
 * over, so serving a row cannot read outside them or make a bad Datum.
 */
typedef enum JfdwColumnKind
{
	JFDW_COL_NULL = 0,			/* no vector, no value: NULL */
	JFDW_COL_ROWS,				/* written row by row into values/nulls */
	JFDW_COL_FIXED,				/* width-byte integers, then * mul / div + add */
	JFDW_COL_BITS,				/* booleans, one bit each */
	JFDW_COL_VARLENA			/* offsets (width 4 or 8) into data */
} JfdwColumnKind;

typedef struct JfdwColumn
{
	int32		kind;			/* JfdwColumnKind */
	int32		width;
	bool		is_signed;
	bool		scaled;			/* mul, div, add apply */
	bool		index_signed;
	int32		index_width;	/* dictionary-encoded: bytes per index; else 0 */
	int64		mul;
	int64		div;			/* floor division */
	int64		add;
	const char *values;			/* values, bits or offsets */
	const char *data;			/* VARLENA bytes */
	const uint8 *validity;		/* bit set = not NULL; NULL = no NULLs */
	const char *indexes;		/* row r's value is number indexes[r] */
	Datum	   *made;			/* VARLENA dictionary: zeroed, a Datum per
								 * value once made; or NULL */
	char	   *out;			/* VARLENA: room for the next varlena */
} JfdwColumn;

/*
 * Per-scan state shared by C and Java (Java reads and writes it through the
 * offset table).  Rows come either one per upcall, written straight into
 * the scan slot (capacity 1), or in batches of up to `capacity` rows
 * written into values/nulls, or as column vectors (`columnar`), which C
 * converts into values/nulls a column at a time.
 */
typedef struct JfdwScanState
{
	int32		handle;			/* Java's id for this scan; 0 = none */
	Oid			check_as_user;	/* whose rights the scan uses; 0 = current
								 * user */
	int32		natts;
	int32		capacity;		/* rows per upcall, chosen by Java */
	int32		nrows;			/* rows in the current batch */
	int32		next;			/* next row of the batch to serve */
	bool		exhausted;
	bool		released;		/* Java state gone (End or context reset) */
	Datum	   *values;			/* capacity * natts, batch mode only */
	bool	   *nulls;
	MemoryContext batch_cxt;	/* row data of the current batch */
	bool		columnar;		/* this batch comes as columns[] */
	int64		first;			/* vector index of the batch's row 0 */
	JfdwColumn *columns;		/* natts, batch mode only */
	MemoryContextCallback release_cb;
} JfdwScanState;

/* jfdw.c */
extern char *jfdw_libjvm_path;
extern char *jfdw_connector_path;
extern char *jfdw_jvm_options;
extern char *jfdw_share_path;

/* jvm.c */
extern void jfdw_jvm_ensure_started(void);
extern bool jfdw_jvm_is_running(void);
extern const char *jfdw_jvm_status_detail(void);

/* bridge.c */
extern JfdwBridge jfdw_bridge;
extern int64 jfdw_upcall(JfdwOp op, Datum *argv);
extern void jfdw_upcall_void(JfdwOp op, Datum *argv);
extern int32 jfdw_guard(JfdwDowncall fn, Datum *argv);
extern int32 jfdw_direct(JfdwDowncall fn, Datum *argv);
extern void jfdw_release_on_reset(MemoryContext cxt, int32 handle);
extern bool jfdw_exiting(void);
extern void jfdw_bridge_init(void);
extern int32 jfdw_pending_error(Datum *argv);
extern int32 jfdw_thread_start_mask(Datum *argv);
extern int32 jfdw_pending_error_context(Datum *argv);
extern int32 jfdw_pending_error_replace(Datum *argv);
extern int32 jfdw_subxact_begin(Datum *argv);
extern int32 jfdw_subxact_commit(Datum *argv);
extern int32 jfdw_subxact_rollback(Datum *argv);
extern PGDLLIMPORT JfdwJavaError jfdw_java_error;

/* downcalls.c */
extern const JfdwSymbol jfdw_symbols[];
extern const int jfdw_nsymbols;

/* offsets.c */
extern const JfdwOffset jfdw_offsets[];
extern const int jfdw_noffsets;

/* planning.c */
extern int32 jfdw_operator(Datum *argv);
extern int32 jfdw_expr_info(Datum *argv);
extern int32 jfdw_needed_attrs(Datum *argv);
extern int32 jfdw_join_clauses(Datum *argv);
extern int32 jfdw_add_parameterized_path(Datum *argv);
extern int32 jfdw_sort_keys(Datum *argv);
extern int32 jfdw_init_exprs(Datum *argv);
extern int32 jfdw_eval_exprs(Datum *argv);
extern int32 jfdw_deconstruct_array(Datum *argv);
extern int32 jfdw_detoast(Datum *argv);
extern int32 jfdw_can_read_server_files(Datum *argv);
extern int32 jfdw_append_string(Datum *argv);
extern int32 jfdw_append_pointer(Datum *argv);
extern int32 jfdw_clauselist_selectivity(Datum *argv);
extern int32 jfdw_collation(Datum *argv);
extern int32 jfdw_bool_const(Datum *argv);
extern int32 jfdw_scan_limit(Datum *argv);

/* analyze.c */
extern BlockNumber jfdw_heap_pages(Relation relation, double rows);
extern int	jfdw_acquire_sample_rows(Relation relation, int elevel,
									 HeapTuple *rows, int targrows,
									 double *totalrows, double *totaldeadrows);

/* fdw.c */
extern Datum jfdw_handler(PG_FUNCTION_ARGS);
extern Datum jfdw_validator(PG_FUNCTION_ARGS);

#endif							/* JFDW_H */
