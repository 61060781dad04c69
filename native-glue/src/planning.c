/*-------------------------------------------------------------------------
 *
 * planning.c
 *	  Planner and executor services for the Connector SPI: what Java cannot
 *	  read off a struct view (catalog lookups, the planner's equivalence
 *	  classes, expression evaluation).  Java decides what to push down; these
 *	  only answer questions.  All are called through the guard.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include "access/htup_details.h"
#include "access/sysattr.h"
#include "catalog/pg_am.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_operator.h"
#include "common/int.h"
#include "commands/defrem.h"
#include "executor/executor.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/paths.h"
#include "optimizer/restrictinfo.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/pg_locale.h"
#include "utils/syscache.h"

/*
 * Whether text under this collation sorts as Java compares strings, by
 * code point: the C collation orders by bytes, which is code point order in
 * UTF-8 and LATIN1 only (in WIN1251, 'ё' is 0xB8 and 'а' 0xE0; SQL_ASCII's
 * bytes need not be characters at all).
 */
static bool
ordered_by_code_point(Oid collation)
{
	int			encoding = GetDatabaseEncoding();

	if (!OidIsValid(collation))
		return true;
	return lc_collate_is_c(collation) &&
		(encoding == PG_UTF8 || encoding == PG_LATIN1);
}

/*
 * [0] operator oid -> [0] name, [1] commutator, [2] negator, [3] left type,
 * [4] right type, [5] whether it is built in (initdb's, not an extension's).
 */
int32
jfdw_operator(Datum *argv)
{
	Oid			opno = DatumGetObjectId(argv[0]);
	HeapTuple	tp = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
	Form_pg_operator op;

	if (!HeapTupleIsValid(tp))
		elog(ERROR, "cache lookup failed for operator %u", opno);
	op = (Form_pg_operator) GETSTRUCT(tp);
	argv[0] = PointerGetDatum(pstrdup(NameStr(op->oprname)));
	argv[1] = ObjectIdGetDatum(op->oprcom);
	argv[2] = ObjectIdGetDatum(op->oprnegate);
	argv[3] = ObjectIdGetDatum(op->oprleft);
	argv[4] = ObjectIdGetDatum(op->oprright);
	argv[5] = BoolGetDatum(opno < FirstNormalObjectId);
	ReleaseSysCache(tp);
	return 0;
}

/*
 * [0] root, [1] expression, [2] relid -> [0] whether it references that
 * relation, [1] whether it references any, [2] whether it is volatile,
 * [3] its type, [4] its typmod, [5] its element type if it is an array.
 */
int32
jfdw_expr_info(Datum *argv)
{
	PlannerInfo *root = (PlannerInfo *) DatumGetPointer(argv[0]);
	Node	   *expr = (Node *) DatumGetPointer(argv[1]);
	Relids		varnos = pull_varnos(root, expr);

	argv[0] = BoolGetDatum(bms_is_member(DatumGetInt32(argv[2]), varnos));
	argv[1] = BoolGetDatum(!bms_is_empty(varnos));
	argv[2] = BoolGetDatum(contain_volatile_functions(expr));
	argv[3] = ObjectIdGetDatum(exprType(expr));
	argv[4] = Int32GetDatum(exprTypmod(expr));
	argv[5] = ObjectIdGetDatum(get_element_type(exprType(expr)));
	return 0;
}

/*
 * [0] baserel -> [0] int List of the attnums the query needs from it,
 * [1] true if a whole-row reference needs every column.
 */
int32
jfdw_needed_attrs(Datum *argv)
{
	RelOptInfo *baserel = (RelOptInfo *) DatumGetPointer(argv[0]);
	Bitmapset  *attrs = NULL;
	List	   *needed = NIL;
	bool		whole_row = false;
	ListCell   *lc;
	int			i = -1;

	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(lc, baserel->baserestrictinfo)
		pull_varattnos((Node *) ((RestrictInfo *) lfirst(lc))->clause, baserel->relid, &attrs);
	while ((i = bms_next_member(attrs, i)) >= 0)
	{
		AttrNumber	attno = i + FirstLowInvalidHeapAttributeNumber;

		if (attno == 0)
			whole_row = true;
		else if (attno > 0)
			needed = lappend_int(needed, attno);
	}
	argv[0] = PointerGetDatum(needed);
	argv[1] = BoolGetDatum(whole_row);
	return 0;
}

static bool
ec_member_is_column(PlannerInfo *root, RelOptInfo *rel, EquivalenceClass *ec,
					EquivalenceMember *em, void *arg)
{
	Expr	   *expr = em->em_expr;

	while (expr && IsA(expr, RelabelType))
		expr = ((RelabelType *) expr)->arg;
	return expr && IsA(expr, Var) && ((Var *) expr)->varno == rel->relid &&
		((Var *) expr)->varlevelsup == 0 && ((Var *) expr)->varattno == *(AttrNumber *) arg;
}

/*
 * [0] root, [1] baserel -> [0] List of RestrictInfo that join this relation
 * to others and could be evaluated in its scan, given the other side's
 * values: the clauses of parameterized (nested loop inner) paths.  Both
 * explicit join clauses and those the planner derives from equivalences.
 */
int32
jfdw_join_clauses(Datum *argv)
{
	PlannerInfo *root = (PlannerInfo *) DatumGetPointer(argv[0]);
	RelOptInfo *baserel = (RelOptInfo *) DatumGetPointer(argv[1]);
	List	   *clauses = NIL;
	ListCell   *lc;

	foreach(lc, baserel->joininfo)
	{
		RestrictInfo *ri = (RestrictInfo *) lfirst(lc);

		if (join_clause_is_movable_to(ri, baserel))
			clauses = lappend(clauses, ri);
	}
	if (baserel->has_eclass_joins)
	{
		for (AttrNumber attno = 1; attno <= baserel->max_attr; attno++)
		{
			List	   *derived = generate_implied_equalities_for_column(root, baserel,
																		 ec_member_is_column, &attno,
																		 baserel->lateral_referencers);

			foreach(lc, derived)
			{
				RestrictInfo *ri = (RestrictInfo *) lfirst(lc);

				if (join_clause_is_movable_to(ri, baserel))
					clauses = list_append_unique_ptr(clauses, ri);
			}
		}
	}
	argv[0] = PointerGetDatum(clauses);
	return 0;
}

/*
 * Whether two join clauses say the same: one clause, or equalities derived
 * from one equivalence class between the same two members (either way
 * round).
 */
static bool
same_join_clause(RestrictInfo *a, RestrictInfo *b)
{
	if (a == b)
		return true;
	if (a->parent_ec == NULL || a->parent_ec != b->parent_ec ||
		a->left_em == NULL || a->right_em == NULL)
		return false;
	return (a->left_em == b->left_em && a->right_em == b->right_em) ||
		(a->left_em == b->right_em && a->right_em == b->left_em);
}

/*
 * [0] root, [1] baserel, [2] RestrictInfo, [3] rows, [4] startup cost,
 * [5] total cost, [6] fdw_private -> adds a path parameterized by the
 * relations on the clause's other side; [0] the RestrictInfo its plan will
 * carry for the clause (equivalence classes derive it anew for the path),
 * the clause itself if none does, or NULL if there is no other side.
 */
int32
jfdw_add_parameterized_path(Datum *argv)
{
	PlannerInfo *root = (PlannerInfo *) DatumGetPointer(argv[0]);
	RelOptInfo *baserel = (RelOptInfo *) DatumGetPointer(argv[1]);
	RestrictInfo *ri = (RestrictInfo *) DatumGetPointer(argv[2]);
	Relids		required_outer = bms_union(ri->clause_relids, baserel->lateral_relids);
	ParamPathInfo *ppi;
	ListCell   *lc;

	required_outer = bms_del_member(required_outer, baserel->relid);
	if (bms_is_empty(required_outer))
	{
		argv[0] = PointerGetDatum(NULL);
		return 0;
	}
	ppi = get_baserel_parampathinfo(root, baserel, required_outer);
	add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL,
													   DatumGetFloat8(argv[3]),
													   DatumGetFloat8(argv[4]),
													   DatumGetFloat8(argv[5]),
													   NIL, required_outer, NULL,
													   (List *) DatumGetPointer(argv[6])));
	argv[0] = PointerGetDatum(ri);
	foreach(lc, ppi->ppi_clauses)
	{
		if (same_join_clause(ri, (RestrictInfo *) lfirst(lc)))
		{
			argv[0] = PointerGetDatum(lfirst(lc));
			break;
		}
	}
	return 0;
}

/*
 * [0] root, [1] baserel -> [0] int List, four entries per key of the
 * query's ORDER BY (attnum, descending, nulls first, byte order), when every
 * key is a plain column of this relation ordered by its type's default
 * btree operator class; NIL otherwise.  "Byte order" is false for text
 * sorted by a collation other than C.
 */
int32
jfdw_sort_keys(Datum *argv)
{
	PlannerInfo *root = (PlannerInfo *) DatumGetPointer(argv[0]);
	RelOptInfo *baserel = (RelOptInfo *) DatumGetPointer(argv[1]);
	List	   *keys = NIL;
	ListCell   *lc;

	argv[0] = PointerGetDatum(NIL);
	foreach(lc, root->query_pathkeys)
	{
		PathKey    *pk = (PathKey *) lfirst(lc);
		EquivalenceClass *ec = pk->pk_eclass;
		Var		   *var = NULL;
		ListCell   *lc2;
		Oid			opclass;

		if (ec->ec_has_volatile)
			return 0;
		foreach(lc2, ec->ec_members)
		{
			EquivalenceMember *em = (EquivalenceMember *) lfirst(lc2);
			Expr	   *expr = em->em_expr;

			while (expr && IsA(expr, RelabelType))
				expr = ((RelabelType *) expr)->arg;
			if (expr && IsA(expr, Var) && ((Var *) expr)->varno == baserel->relid &&
				((Var *) expr)->varlevelsup == 0 && ((Var *) expr)->varattno > 0)
			{
				var = (Var *) expr;
				break;
			}
		}
		if (var == NULL)
			return 0;
		opclass = GetDefaultOpClass(var->vartype, BTREE_AM_OID);
		if (!OidIsValid(opclass) || get_opclass_family(opclass) != pk->pk_opfamily)
			return 0;
		keys = lappend_int(keys, var->varattno);
		keys = lappend_int(keys, pk->pk_strategy == BTGreaterStrategyNumber);
		keys = lappend_int(keys, pk->pk_nulls_first);
		keys = lappend_int(keys, ordered_by_code_point(ec->ec_collation));
	}
	argv[0] = PointerGetDatum(keys);
	return 0;
}

/* [0] ForeignScanState *, [1] List of expressions -> [0] List of ExprState */
int32
jfdw_init_exprs(Datum *argv)
{
	argv[0] = PointerGetDatum(ExecInitExprList((List *) DatumGetPointer(argv[1]),
											   (PlanState *) DatumGetPointer(argv[0])));
	return 0;
}

/*
 * [0] ForeignScanState *, [1] List of ExprState, [2] Datum * out,
 * [3] bool * out: evaluates each, in the scan's per-tuple memory.
 */
int32
jfdw_eval_exprs(Datum *argv)
{
	ForeignScanState *node = (ForeignScanState *) DatumGetPointer(argv[0]);
	ExprContext *econtext = node->ss.ps.ps_ExprContext;
	Datum	   *values = (Datum *) DatumGetPointer(argv[2]);
	bool	   *nulls = (bool *) DatumGetPointer(argv[3]);
	MemoryContext old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
	ListCell   *lc;
	int			i = 0;

	foreach(lc, (List *) DatumGetPointer(argv[1]))
	{
		values[i] = ExecEvalExpr((ExprState *) lfirst(lc), econtext, &nulls[i]);
		i++;
	}
	MemoryContextSwitchTo(old);
	return 0;
}

/* [0] array Datum -> [0] element type, [1] count, [2] Datum *, [3] bool * */
int32
jfdw_deconstruct_array(Datum *argv)
{
	ArrayType  *array = DatumGetArrayTypeP(argv[0]);
	Oid			elemtype = ARR_ELEMTYPE(array);
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			count;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(array, elemtype, typlen, typbyval, typalign, &elems, &nulls, &count);
	argv[0] = ObjectIdGetDatum(elemtype);
	argv[1] = Int32GetDatum(count);
	argv[2] = PointerGetDatum(elems);
	argv[3] = PointerGetDatum(nulls);
	return 0;
}

/* [0] varlena Datum -> [0] its data, detoasted, [1] its length */
int32
jfdw_detoast(Datum *argv)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(argv[0]));

	argv[0] = PointerGetDatum(VARDATA_ANY(v));
	argv[1] = Int64GetDatum(VARSIZE_ANY_EXHDR(v));
	return 0;
}

/* -> [0] whether the current user may read server files, as file_fdw asks */
int32
jfdw_can_read_server_files(Datum *argv)
{
	argv[0] = BoolGetDatum(superuser() ||
						   has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES));
	return 0;
}

/* [0] List * of strings, [1] cstring -> [0] the list with a copy appended */
int32
jfdw_append_string(Datum *argv)
{
	argv[0] = PointerGetDatum(lappend((List *) DatumGetPointer(argv[0]),
									  pstrdup((char *) DatumGetPointer(argv[1]))));
	return 0;
}

/* [0] List * of pointers, [1] pointer -> [0] the list with it appended */
int32
jfdw_append_pointer(Datum *argv)
{
	argv[0] = PointerGetDatum(lappend((List *) DatumGetPointer(argv[0]), DatumGetPointer(argv[1])));
	return 0;
}

/*
 * [0] root, [1] List of RestrictInfo, [2] relid -> [0] their joint
 * selectivity (float8), join clauses taken as restrictions of that relation
 * (the other side being a parameter), as postgres_fdw does.
 */
int32
jfdw_clauselist_selectivity(Datum *argv)
{
	argv[0] = Float8GetDatum(clauselist_selectivity((PlannerInfo *) DatumGetPointer(argv[0]),
													(List *) DatumGetPointer(argv[1]),
													DatumGetInt32(argv[2]), JOIN_INNER, NULL));
	return 0;
}

/*
 * [0] collation oid -> [0] whether it orders by code point, [1] whether it
 * is deterministic (equality is byte equality), [2] whether it folds case
 * as C does, ASCII letters only (ILIKE's lower() then does the same).
 */
int32
jfdw_collation(Datum *argv)
{
	Oid			collation = DatumGetObjectId(argv[0]);

	argv[0] = BoolGetDatum(ordered_by_code_point(collation));
	argv[1] = BoolGetDatum(!OidIsValid(collation) || get_collation_isdeterministic(collation));
	argv[2] = BoolGetDatum(!OidIsValid(collation) || lc_ctype_is_c(collation));
	return 0;
}

/* [0] bool -> [0] a boolean Const node */
int32
jfdw_bool_const(Datum *argv)
{
	argv[0] = PointerGetDatum(makeBoolConst(DatumGetBool(argv[0]), false));
	return 0;
}

/*
 * [0] root -> [0] the rows a scan may stop after, or -1: the
 * query's LIMIT (plus OFFSET) when it scans a single base relation and
 * the limit is a count.  WITH TIES returns rows past the count that tie
 * with the last (postgres_fdw does not push it down either); the planner
 * itself drops the limit under grouping, aggregates and the like.  The
 * count and offset must be constants: the planner estimates a stable
 * expression (LIMIT current_setting(...)::int) once, and a cached plan
 * would stop every later execution at that first value.  The sum is taken
 * from the constants, not from limit_tuples, a double that rounds past 2^53.
 */
int32
jfdw_scan_limit(Datum *argv)
{
	PlannerInfo *root = (PlannerInfo *) DatumGetPointer(argv[0]);
	Query	   *parse = root->parse;
	Const	   *count = (Const *) parse->limitCount;
	Const	   *offset = (Const *) parse->limitOffset;
	int64		limit = -1;

	argv[0] = Int64GetDatum(-1);
	if (root->limit_tuples < 1 ||
		parse->limitOption != LIMIT_OPTION_COUNT ||
		count == NULL || !IsA(count, Const) || count->constisnull ||
		(offset != NULL && !IsA(offset, Const)) ||
		bms_membership(root->all_baserels) != BMS_SINGLETON)
		return 0;
	/* both are int8 after parse analysis; a negative one is the executor's error */
	if (DatumGetInt64(count->constvalue) < 0 ||
		(offset != NULL && !offset->constisnull && DatumGetInt64(offset->constvalue) < 0) ||
		pg_add_s64_overflow(DatumGetInt64(count->constvalue),
							offset == NULL || offset->constisnull ? 0 : DatumGetInt64(offset->constvalue),
							&limit))
		return 0;
	/* LIMIT 0: the executor asks for no row, and a scan may stop after one */
	argv[0] = Int64GetDatum(Max(limit, 1));
	return 0;
}
