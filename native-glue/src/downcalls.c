/*-------------------------------------------------------------------------
 *
 * downcalls.c
 *	  The Postgres functions Java may call, and the symbol table that hands
 *	  their addresses to Java at boot.
 *
 * Each function has the one signature `int32 fn(Datum *argv)`: arguments in
 * argv, results written back into argv.  Functions marked "guarded" may
 * raise and are only ever called by Java through jfdw_guard(); the others
 * cannot raise and are called directly on hot paths.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "catalog/pg_user_mapping.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "foreign/foreign.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

/*
 * Not guarded: [0] MemoryContext, [1] size (< MaxAllocSize, checked by
 * Java) -> [0] pointer, NULL when out of memory.
 */
static int32
jfdw_alloc(Datum *argv)
{
	argv[0] = PointerGetDatum(MemoryContextAllocExtended((MemoryContext) DatumGetPointer(argv[0]),
														 (Size) DatumGetInt64(argv[1]),
														 MCXT_ALLOC_NO_OOM));
	return 0;
}

/* Guarded: [0] MemoryContext to reset. */
static int32
jfdw_context_reset(Datum *argv)
{
	MemoryContextReset((MemoryContext) DatumGetPointer(argv[0]));
	return 0;
}

/* Guarded: [0] parent MemoryContext, [1] name (static) -> [0] new context. */
static int32
jfdw_context_create(Datum *argv)
{
	argv[0] = PointerGetDatum(AllocSetContextCreate((MemoryContext) DatumGetPointer(argv[0]),
													"jfdw",
													ALLOCSET_DEFAULT_SIZES));
	return 0;
}

/* Guarded: [0] MemoryContext, [1] handle; Java hears RELEASE on reset. */
static int32
jfdw_watch_context(Datum *argv)
{
	jfdw_release_on_reset((MemoryContext) DatumGetPointer(argv[0]), DatumGetInt32(argv[1]));
	return 0;
}

/* Guarded: [0] elevel (< ERROR), [1] message in server encoding. */
static int32
jfdw_elog(Datum *argv)
{
	int			elevel = DatumGetInt32(argv[0]);

	if (elevel >= ERROR)
		elevel = WARNING;
	ereport(elevel, (errmsg_internal("%s", (char *) DatumGetPointer(argv[1]))));
	return 0;
}

/* Guarded: [0] function oid -> [0] its name, or NULL. */
static int32
jfdw_func_name(Datum *argv)
{
	argv[0] = PointerGetDatum(get_func_name(DatumGetObjectId(argv[0])));
	return 0;
}

/* Guarded: [0] relid -> [0] ForeignTable *. */
static int32
jfdw_foreign_table(Datum *argv)
{
	argv[0] = PointerGetDatum(GetForeignTable(DatumGetObjectId(argv[0])));
	return 0;
}

/* Guarded: [0] server oid -> [0] ForeignServer *. */
static int32
jfdw_foreign_server(Datum *argv)
{
	argv[0] = PointerGetDatum(GetForeignServer(DatumGetObjectId(argv[0])));
	return 0;
}

/* Guarded: [0] wrapper oid -> [0] ForeignDataWrapper *. */
static int32
jfdw_foreign_wrapper(Datum *argv)
{
	argv[0] = PointerGetDatum(GetForeignDataWrapper(DatumGetObjectId(argv[0])));
	return 0;
}

/*
 * Guarded: [0] user oid, [1] server oid -> [0] UserMapping *, or NULL when
 * there is none (GetUserMapping would raise; whether a mapping is required
 * is the connector's business).
 */
static int32
jfdw_user_mapping(Datum *argv)
{
	Oid			userid = DatumGetObjectId(argv[0]);
	Oid			serverid = DatumGetObjectId(argv[1]);
	HeapTuple	tp;
	UserMapping *um = NULL;

	tp = SearchSysCache2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(userid),
						 ObjectIdGetDatum(serverid));
	if (!HeapTupleIsValid(tp))
		tp = SearchSysCache2(USERMAPPINGUSERSERVER, ObjectIdGetDatum(InvalidOid),
							 ObjectIdGetDatum(serverid));
	if (HeapTupleIsValid(tp))
	{
		ReleaseSysCache(tp);
		um = GetUserMapping(userid, serverid);
	}
	argv[0] = PointerGetDatum(um);
	return 0;
}

/* Not guarded: -> [0] the current user's oid. */
static int32
jfdw_current_user(Datum *argv)
{
	argv[0] = ObjectIdGetDatum(GetUserId());
	return 0;
}

/* Not guarded: -> [0] whether a parallel operation is under way, where no subtransaction may start. */
static int32
jfdw_in_parallel_mode(Datum *argv)
{
	argv[0] = BoolGetDatum(IsInParallelMode());
	return 0;
}

/*
 * Direct, does not return: [0] the exit Java code asked for, [1] where.
 * The JVM would end the process without Postgres's cleanup, which the
 * postmaster answers by restarting the cluster; a FATAL ends this session
 * alone, after the same cleanup as any other.
 */
static int32
jfdw_terminate(Datum *argv)
{
	ereport(FATAL,
			(errcode(ERRCODE_INTERNAL_ERROR),
			 errmsg("terminating connection because Java code called %s",
					(char *) DatumGetPointer(argv[0])),
			 errdetail_internal("%s", (char *) DatumGetPointer(argv[1])),
			 errhint("A connector must not end the process: to fail the query, it throws an exception.")));
	return 0;
}

/* Guarded: [0] relid -> [0] a copy of its TupleDesc, [1] its name. */
static int32
jfdw_relation_info(Datum *argv)
{
	Relation	rel = table_open(DatumGetObjectId(argv[0]), NoLock);

	argv[0] = PointerGetDatum(CreateTupleDescCopy(RelationGetDescr(rel)));
	argv[1] = PointerGetDatum(pstrdup(RelationGetRelationName(rel)));
	table_close(rel, NoLock);
	return 0;
}

/* Guarded: [0] relid, [1] attnum -> [0] List * of DefElem. */
static int32
jfdw_column_options(Datum *argv)
{
	argv[0] = PointerGetDatum(GetForeignColumnOptions(DatumGetObjectId(argv[0]),
													  DatumGetInt16(argv[1])));
	return 0;
}

/* Guarded: [0] type oid -> [0] its name. */
static int32
jfdw_type_name(Datum *argv)
{
	argv[0] = PointerGetDatum(format_type_be(DatumGetObjectId(argv[0])));
	return 0;
}

static int
enum_order_cmp(const void *a, const void *b)
{
	float4		x = ((Form_pg_enum) GETSTRUCT(*(HeapTuple const *) a))->enumsortorder;
	float4		y = ((Form_pg_enum) GETSTRUCT(*(HeapTuple const *) b))->enumsortorder;

	return (x > y) - (x < y);
}

/*
 * Guarded: [0] type oid -> [0] its typtype, [1] the type it is made of (a
 * domain's base type, through nested domains; an array's element type; a
 * range's subtype; else InvalidOid), [2] for an enum its labels in sort
 * order, each NUL-terminated, one after the other, [3] how many, and [4] a
 * domain's base type modifier (varchar(5) for a domain over it), else -1.
 */
static int32
jfdw_type_info(Datum *argv)
{
	Oid			type = DatumGetObjectId(argv[0]);
	char		typtype = get_typtype(type);
	Oid			of = InvalidOid;
	StringInfoData labels;
	int			count = 0;
	int32		typmod = -1;

	initStringInfo(&labels);
	if (typtype == TYPTYPE_DOMAIN)
		of = getBaseTypeAndTypmod(type, &typmod);
	else if (typtype == TYPTYPE_RANGE)
		of = get_range_subtype(type);
	else if (typtype == TYPTYPE_ENUM)
	{
		CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(type));
		HeapTuple  *sorted = palloc_array(HeapTuple, Max(list->n_members, 1));

		for (int i = 0; i < list->n_members; i++)
			sorted[i] = &list->members[i]->tuple;
		qsort(sorted, list->n_members, sizeof(HeapTuple), enum_order_cmp);
		for (int i = 0; i < list->n_members; i++)
		{
			appendStringInfoString(&labels, NameStr(((Form_pg_enum) GETSTRUCT(sorted[i]))->enumlabel));
			appendStringInfoChar(&labels, '\0');
		}
		count = list->n_members;
		ReleaseSysCacheList(list);
	}
	else
		of = get_element_type(type);
	argv[0] = CharGetDatum(typtype);
	argv[1] = ObjectIdGetDatum(of);
	argv[2] = PointerGetDatum(labels.data);
	argv[3] = Int32GetDatum(count);
	argv[4] = Int32GetDatum(typmod);
	return 0;
}

/*
 * Guarded: [0] domain oid, [1] void ** where domain_check keeps its state
 * (NULL at first), [2] the MemoryContext that state lives in; raises what
 * domain_in does for a NULL.
 */
static int32
jfdw_domain_check_null(Datum *argv)
{
	domain_check((Datum) 0, true, DatumGetObjectId(argv[0]),
				 (void **) DatumGetPointer(argv[1]),
				 (MemoryContext) DatumGetPointer(argv[2]));
	return 0;
}

/*
 * Guarded: [0] domain oid; out: [0] the SQLSTATE domain_check would raise
 * for a NULL (0 if the domain takes one), [1] its message.  As domain_check,
 * but without raising the refusal, for a query in parallel mode, where no
 * subtransaction may catch it.  A CHECK that fails to evaluate still raises.
 */
static int32
jfdw_domain_null_refusal(Datum *argv)
{
	Oid			domain = DatumGetObjectId(argv[0]);
	MemoryContext caller = CurrentMemoryContext;

	/* the reference's release is a callback of the context it lives in */
	MemoryContext cxt = AllocSetContextCreate(caller, "jfdw domain check",
											  ALLOCSET_SMALL_SIZES);
	DomainConstraintRef *ref;
	ExprContext *econtext;
	ListCell   *lc;
	int			sqlstate = 0;
	const char *constraint = NULL;

	MemoryContextSwitchTo(cxt);
	ref = palloc(sizeof(DomainConstraintRef));
	InitDomainConstraintRef(domain, ref, cxt, true);
	econtext = CreateStandaloneExprContext();
	econtext->domainValue_datum = (Datum) 0;
	econtext->domainValue_isNull = true;
	foreach(lc, ref->constraints)
	{
		DomainConstraintState *con = (DomainConstraintState *) lfirst(lc);

		if (con->constrainttype == DOM_CONSTRAINT_NOTNULL)
		{
			sqlstate = ERRCODE_NOT_NULL_VIOLATION;
			break;
		}
		if (con->constrainttype == DOM_CONSTRAINT_CHECK &&
			!ExecCheck(con->check_exprstate, econtext))
		{
			sqlstate = ERRCODE_CHECK_VIOLATION;
			constraint = con->name;
			break;
		}
		ResetExprContext(econtext);
	}
	MemoryContextSwitchTo(caller);
	argv[0] = Int32GetDatum(sqlstate);
	argv[1] = PointerGetDatum(sqlstate == 0 ? NULL :
							  constraint == NULL ?
							  psprintf("domain %s does not allow null values",
									   format_type_be(domain)) :
							  psprintf("value for domain %s violates check constraint \"%s\"",
									   format_type_be(domain), constraint));
	FreeExprContext(econtext, true);
	MemoryContextDelete(cxt);
	return 0;
}

/*
 * Guarded: [0] root, [1] baserel, [2] rows, [3] startup cost, [4] total
 * cost (float8), [5] pathkeys, [6] fdw_private.
 *
 * The path is parameterized by the relations a LATERAL reference names
 * (every path of such a rel must be): without it the planner may put the
 * scan where the outer values it evaluates are not there.
 */
static int32
jfdw_add_foreign_path(Datum *argv)
{
	PlannerInfo *root = (PlannerInfo *) DatumGetPointer(argv[0]);
	RelOptInfo *baserel = (RelOptInfo *) DatumGetPointer(argv[1]);

	add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL,
													   DatumGetFloat8(argv[2]),
													   DatumGetFloat8(argv[3]),
													   DatumGetFloat8(argv[4]),
													   (List *) DatumGetPointer(argv[5]),
													   baserel->lateral_relids, NULL,
													   (List *) DatumGetPointer(argv[6])));
	return 0;
}

/* Guarded: [0] RestrictInfo list, [1] pseudoconstant -> [0] clause list. */
static int32
jfdw_extract_actual_clauses(Datum *argv)
{
	argv[0] = PointerGetDatum(extract_actual_clauses((List *) DatumGetPointer(argv[0]),
													 DatumGetBool(argv[1])));
	return 0;
}

/*
 * Guarded: [0] tlist, [1] qpqual, [2] scanrelid, [3] fdw_exprs,
 * [4] fdw_private, [5] fdw_scan_tlist, [6] fdw_recheck_quals,
 * [7] outer_plan -> [0] ForeignScan *.
 */
static int32
jfdw_make_foreign_scan(Datum *argv)
{
	argv[0] = PointerGetDatum(make_foreignscan((List *) DatumGetPointer(argv[0]),
											   (List *) DatumGetPointer(argv[1]),
											   (Index) DatumGetUInt32(argv[2]),
											   (List *) DatumGetPointer(argv[3]),
											   (List *) DatumGetPointer(argv[4]),
											   (List *) DatumGetPointer(argv[5]),
											   (List *) DatumGetPointer(argv[6]),
											   (Plan *) DatumGetPointer(argv[7])));
	return 0;
}

/*
 * Guarded: [0] bytes, [1] length -> [0] a one-element List holding a bytea
 * Const, the copyable form in which plans carry a connector's state.
 */
static int32
jfdw_bytes_list(Datum *argv)
{
	Size		len = (Size) DatumGetInt64(argv[1]);
	bytea	   *b = (bytea *) palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), DatumGetPointer(argv[0]), len);
	argv[0] = PointerGetDatum(list_make1(makeConst(BYTEAOID, -1, InvalidOid, -1,
												   PointerGetDatum(b), false, false)));
	return 0;
}

/* Guarded: [0] label, [1] value, [2] ExplainState *. */
static int32
jfdw_explain_text(Datum *argv)
{
	ExplainPropertyText((char *) DatumGetPointer(argv[0]),
						(char *) DatumGetPointer(argv[1]),
						(ExplainState *) DatumGetPointer(argv[2]));
	return 0;
}

/*
 * Guarded: [0] ForeignScanState *, [1] ExplainState *, [2] an index into
 * the plan's fdw_exprs -> [0] that expression as EXPLAIN writes one: a
 * query parameter as $1.  A nested loop's outer value is $n too: this
 * callback is not given the plan's ancestors, which would name its column.
 */
static int32
jfdw_explain_expr(Datum *argv)
{
	ForeignScanState *node = (ForeignScanState *) DatumGetPointer(argv[0]);
	ExplainState *es = (ExplainState *) DatumGetPointer(argv[1]);
	Plan	   *plan = node->ss.ps.plan;
	List	   *context = set_deparse_context_plan(es->deparse_cxt, plan, NIL);
	Node	   *expr = list_nth(((ForeignScan *) plan)->fdw_exprs, DatumGetInt32(argv[2]));

	argv[0] = PointerGetDatum(deparse_expression(expr, context, es->verbose, false));
	return 0;
}

/* Guarded: [0] label, [1] unit or NULL, [2] value (int64), [3] ExplainState *. */
static int32
jfdw_explain_integer(Datum *argv)
{
	ExplainPropertyInteger((char *) DatumGetPointer(argv[0]),
						   (char *) DatumGetPointer(argv[1]),
						   DatumGetInt64(argv[2]),
						   (ExplainState *) DatumGetPointer(argv[3]));
	return 0;
}

/*
 * Guarded: [0] type oid, [1] MemoryContext -> [0] FmgrInfo * of its input
 * function, allocated in the context, [1] its typioparam.
 */
static int32
jfdw_input_function(Datum *argv)
{
	MemoryContext cxt = (MemoryContext) DatumGetPointer(argv[1]);
	FmgrInfo   *flinfo = MemoryContextAlloc(cxt, sizeof(FmgrInfo));
	Oid			func;
	Oid			ioparam;

	getTypeInputInfo(DatumGetObjectId(argv[0]), &func, &ioparam);
	fmgr_info_cxt(func, flinfo, cxt);
	argv[0] = PointerGetDatum(flinfo);
	argv[1] = ObjectIdGetDatum(ioparam);
	return 0;
}

/*
 * Guarded: [0] FmgrInfo *, [1] cstring, [2] typioparam, [3] typmod,
 * [4] MemoryContext for the result -> [0] Datum.
 */
static int32
jfdw_input_value(Datum *argv)
{
	MemoryContext old = MemoryContextSwitchTo((MemoryContext) DatumGetPointer(argv[4]));

	argv[0] = InputFunctionCall((FmgrInfo *) DatumGetPointer(argv[0]),
								(char *) DatumGetPointer(argv[1]),
								DatumGetObjectId(argv[2]),
								DatumGetInt32(argv[3]));
	MemoryContextSwitchTo(old);
	return 0;
}

/* Guarded: [0] type oid, [1] Datum -> [0] its text form (palloc'd). */
static int32
jfdw_output_value(Datum *argv)
{
	Oid			func;
	bool		isvarlena;

	getTypeOutputInfo(DatumGetObjectId(argv[0]), &func, &isvarlena);
	argv[0] = PointerGetDatum(OidOutputFunctionCall(func, argv[1]));
	return 0;
}

/*
 * Guarded: [0] UTF-8 bytes, [1] length, [2] MemoryContext -> [0] the bytes
 * in the server encoding, [1] their length.  Raises on characters the
 * server encoding cannot hold.
 */
static int32
jfdw_from_utf8(Datum *argv)
{
	MemoryContext old = MemoryContextSwitchTo((MemoryContext) DatumGetPointer(argv[2]));
	int			len = DatumGetInt32(argv[1]);
	char	   *src = (char *) DatumGetPointer(argv[0]);
	char	   *dst = pg_any_to_server(src, len, PG_UTF8);

	argv[0] = PointerGetDatum(dst);
	argv[1] = Int32GetDatum(dst == src ? len : (int32) strlen(dst));
	MemoryContextSwitchTo(old);
	return 0;
}

/*
 * Guarded: [0] bytes in the server encoding, [1] their length, [2] room for
 * 4 * length bytes -> [1] the length of their UTF-8 form, written there.
 * For the server encodings Java has no charset for.
 */
static int32
jfdw_to_utf8(Datum *argv)
{
	char	   *src = (char *) DatumGetPointer(argv[0]);
	int			len = DatumGetInt32(argv[1]);
	char	   *dst = pg_server_to_any(src, len, PG_UTF8);
	int			n = dst == src ? len : (int) strlen(dst);

	if (n > (int64) len * MAX_CONVERSION_GROWTH)
		elog(ERROR, "jfdw: %d bytes grew to %d in UTF-8", len, n);
	memcpy(DatumGetPointer(argv[2]), dst, n);
	if (dst != src)
		pfree(dst);
	argv[1] = Int32GetDatum(n);
	return 0;
}

/* Not guarded: -> [0] the server encoding's name. */
static int32
jfdw_server_encoding(Datum *argv)
{
	argv[0] = PointerGetDatum(GetDatabaseEncodingName());
	return 0;
}

/* Guarded: [0] parameter name -> [0] its value, or NULL. */
static int32
jfdw_config_option(Datum *argv)
{
	argv[0] = PointerGetDatum(GetConfigOption((char *) DatumGetPointer(argv[0]), true, false));
	return 0;
}

/*
 * Guarded: [0] text of a string (server encoding), [1] length, [2]
 * MemoryContext -> [0] a text Datum.
 */
static int32
jfdw_cstring_to_text(Datum *argv)
{
	MemoryContext old = MemoryContextSwitchTo((MemoryContext) DatumGetPointer(argv[2]));

	argv[0] = PointerGetDatum(cstring_to_text_with_len((char *) DatumGetPointer(argv[0]),
													   DatumGetInt32(argv[1])));
	MemoryContextSwitchTo(old);
	return 0;
}

#define SYM(f) {#f, (void *) f}

const JfdwSymbol jfdw_symbols[] = {
	SYM(jfdw_guard),
	SYM(jfdw_direct),
	SYM(jfdw_alloc),
	SYM(jfdw_context_reset),
	SYM(jfdw_context_create),
	SYM(jfdw_watch_context),
	SYM(jfdw_elog),
	SYM(jfdw_func_name),
	SYM(jfdw_foreign_table),
	SYM(jfdw_foreign_server),
	SYM(jfdw_foreign_wrapper),
	SYM(jfdw_user_mapping),
	SYM(jfdw_current_user),
	SYM(jfdw_relation_info),
	SYM(jfdw_column_options),
	SYM(jfdw_type_name),
	SYM(jfdw_type_info),
	SYM(jfdw_domain_check_null),
	SYM(jfdw_domain_null_refusal),
	SYM(jfdw_in_parallel_mode),
	SYM(jfdw_terminate),
	SYM(jfdw_add_foreign_path),
	SYM(jfdw_extract_actual_clauses),
	SYM(jfdw_make_foreign_scan),
	SYM(jfdw_bytes_list),
	SYM(jfdw_explain_text),
	SYM(jfdw_explain_expr),
	SYM(jfdw_explain_integer),
	SYM(jfdw_input_function),
	SYM(jfdw_input_value),
	SYM(jfdw_output_value),
	SYM(jfdw_from_utf8),
	SYM(jfdw_to_utf8),
	SYM(jfdw_server_encoding),
	SYM(jfdw_config_option),
	SYM(jfdw_cstring_to_text),
	SYM(jfdw_pending_error),
	SYM(jfdw_thread_start_mask),
	SYM(jfdw_pending_error_context),
	SYM(jfdw_pending_error_replace),
	SYM(jfdw_subxact_begin),
	SYM(jfdw_subxact_commit),
	SYM(jfdw_subxact_rollback),
	SYM(jfdw_operator),
	SYM(jfdw_expr_info),
	SYM(jfdw_needed_attrs),
	SYM(jfdw_join_clauses),
	SYM(jfdw_add_parameterized_path),
	SYM(jfdw_sort_keys),
	SYM(jfdw_init_exprs),
	SYM(jfdw_eval_exprs),
	SYM(jfdw_deconstruct_array),
	SYM(jfdw_detoast),
	SYM(jfdw_can_read_server_files),
	SYM(jfdw_append_string),
	SYM(jfdw_append_pointer),
	SYM(jfdw_clauselist_selectivity),
	SYM(jfdw_collation),
	SYM(jfdw_bool_const),
	SYM(jfdw_scan_limit),
	/* data, not functions */
	{"jfdw_java_error", (void *) &jfdw_java_error},
	{"InterruptPending", (void *) &InterruptPending},
	{"QueryCancelPending", (void *) &QueryCancelPending},
	{"ProcDiePending", (void *) &ProcDiePending},
	{"CurrentMemoryContext", (void *) &CurrentMemoryContext},
};

const int	jfdw_nsymbols = lengthof(jfdw_symbols);
