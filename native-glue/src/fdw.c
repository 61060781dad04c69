/*-------------------------------------------------------------------------
 *
 * fdw.c
 *	  The FdwRoutine: C trampolines into Java.
 *
 * Every connector's handler and validator SQL functions share the C
 * symbols below; Java tells connectors apart by the function's OID (whose
 * name is <connector>_handler or <connector>_validator).
 *
 * Rows reach the executor one of two ways, as Java chooses per scan:
 * capacity 1, where each IterateForeignScan is one upcall that writes the
 * scan slot directly, or batches, where one upcall fills up to `capacity`
 * rows of Datums and C serves them without calling Java again.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include "access/reloptions.h"
#include "commands/explain.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "nodes/pathnodes.h"
#include "utils/memutils.h"
#include "utils/rel.h"

PG_FUNCTION_INFO_V1(jfdw_handler);
PG_FUNCTION_INFO_V1(jfdw_validator);

static Oid
routine_of_server(Oid serverid)
{
	ForeignServer *server = GetForeignServer(serverid);

	return GetForeignDataWrapper(server->fdwid)->fdwhandler;
}

static Oid
routine_of_scan(ForeignScanState *node)
{
	return routine_of_server(((ForeignScan *) node->ss.ps.plan)->fs_server);
}

/* The planner callbacks' arguments: root, baserel, relid, routine. */
static void
planner_upcall(JfdwOp op, PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	Datum		argv[4];

	argv[0] = PointerGetDatum(root);
	argv[1] = PointerGetDatum(baserel);
	argv[2] = ObjectIdGetDatum(foreigntableid);
	argv[3] = ObjectIdGetDatum(routine_of_server(baserel->serverid));
	jfdw_upcall(op, argv);
}

static void
jfdwGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	planner_upcall(JFDW_OP_REL_SIZE, root, baserel, foreigntableid);
}

static void
jfdwGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	planner_upcall(JFDW_OP_PATHS, root, baserel, foreigntableid);
}

static ForeignScan *
jfdwGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				   ForeignPath *best_path, List *tlist, List *scan_clauses,
				   Plan *outer_plan)
{
	Datum		argv[8];

	argv[0] = PointerGetDatum(root);
	argv[1] = PointerGetDatum(baserel);
	argv[2] = ObjectIdGetDatum(foreigntableid);
	argv[3] = ObjectIdGetDatum(routine_of_server(baserel->serverid));
	argv[4] = PointerGetDatum(best_path);
	argv[5] = PointerGetDatum(tlist);
	argv[6] = PointerGetDatum(scan_clauses);
	argv[7] = PointerGetDatum(outer_plan);
	jfdw_upcall(JFDW_OP_PLAN, argv);
	if (DatumGetPointer(argv[0]) == NULL || !IsA(DatumGetPointer(argv[0]), ForeignScan))
		elog(ERROR, "jfdw connector did not make a ForeignScan plan");
	return (ForeignScan *) DatumGetPointer(argv[0]);
}

static void
jfdwBeginForeignScan(ForeignScanState *node, int eflags)
{
	JfdwScanState *st = palloc0(sizeof(JfdwScanState));
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	Datum		argv[4];

	st->natts = slot->tts_tupleDescriptor->natts;
	st->batch_cxt = AllocSetContextCreate(CurrentMemoryContext, "jfdw rows",
										  ALLOCSET_DEFAULT_SIZES);
	node->fdw_state = st;

	argv[0] = PointerGetDatum(node);
	argv[1] = Int32GetDatum(eflags);
	argv[2] = PointerGetDatum(st);
	argv[3] = ObjectIdGetDatum(routine_of_scan(node));
	jfdw_upcall(JFDW_OP_BEGIN, argv);

	if (st->capacity < 1)
		elog(ERROR, "jfdw scan has capacity %d", st->capacity);
	if (st->capacity > 1)
	{
		st->values = palloc_array(Datum, (Size) st->capacity * Max(st->natts, 1));
		st->nulls = palloc_array(bool, (Size) st->capacity * Max(st->natts, 1));
		st->columns = palloc0_array(JfdwColumn, Max(st->natts, 1));
	}
}

static inline int64
fixed_value(const JfdwColumn *col, int64 row)
{
	int64		v;

	switch (col->width)
	{
		case 1:
			v = col->is_signed ? ((const int8 *) col->values)[row] : ((const uint8 *) col->values)[row];
			break;
		case 2:
			v = col->is_signed ? ((const int16 *) col->values)[row] : ((const uint16 *) col->values)[row];
			break;
		case 4:
			v = col->is_signed ? ((const int32 *) col->values)[row] : ((const uint32 *) col->values)[row];
			break;
		default:
			v = ((const int64 *) col->values)[row];
			break;
	}
	if (col->scaled)
	{
		/* each test goes the same way for a whole column: skip what is 1 */
		if (col->mul != 1)
			v *= col->mul;
		if (col->div != 1)
		{
			int64		q = v / col->div;

			if (q * col->div > v)
				q--;			/* floor: truncate toward the earlier time */
			v = q;
		}
		v += col->add;
	}
	return v;
}

/* The value as a varlena in batch memory: a 1-byte header when it fits, as heap tuples do. */
static inline Datum
varlena_value(JfdwColumn *col, int64 row)
{
	int64		start;
	int64		len;
	char	   *p;

	if (col->width == 4)
	{
		start = ((const int32 *) col->values)[row];
		len = ((const int32 *) col->values)[row + 1] - start;
	}
	else
	{
		start = ((const int64 *) col->values)[row];
		len = ((const int64 *) col->values)[row + 1] - start;
	}
	p = col->out;
	if (len + VARHDRSZ_SHORT <= VARATT_SHORT_MAX)
	{
		SET_VARSIZE_SHORT(p, len + VARHDRSZ_SHORT);
		memcpy(p + VARHDRSZ_SHORT, col->data + start, len);
		col->out = p + VARHDRSZ_SHORT + len;
	}
	else
	{
		p = (char *) INTALIGN(p);
		SET_VARSIZE(p, len + VARHDRSZ);
		memcpy(p + VARHDRSZ, col->data + start, len);
		col->out = p + VARHDRSZ + len;
	}
	return PointerGetDatum(p);
}

static inline bool
value_is_null(const JfdwColumn *col, int64 row)
{
	return col->validity != NULL && (col->validity[row >> 3] & (1 << (row & 7))) == 0;
}

/*
 * Converts a columnar batch into values/nulls, which rows are then served
 * from as row batches are: a loop per column, rather than a test of each
 * column's kind for every row, cut the glue's time per row by 40%.  Columns
 * Java wrote row by row are there already.  Values under a NULL are not
 * converted: Java checked only the others.
 */
static void
columns_to_rows(JfdwScanState *st)
{
	int			natts = st->natts;
	int			nrows = st->nrows;

	for (int i = 0; i < natts; i++)
	{
		JfdwColumn *col = &st->columns[i];
		Datum	   *values = st->values + i;
		bool	   *nulls = st->nulls + i;

		if (col->kind == JFDW_COL_ROWS)
			continue;
		if (col->kind == JFDW_COL_FIXED && col->width == 8 && !col->scaled && col->validity == NULL)
		{
			/* the common case, int8 and float8 vectors: Datums as they are */
			const int64 *v = (const int64 *) col->values + st->first;

			for (int r = 0; r < nrows; r++)
			{
				values[(Size) r * natts] = Int64GetDatum(v[r]);
				nulls[(Size) r * natts] = false;
			}
			continue;
		}
		for (int r = 0; r < nrows; r++)
		{
			int64		row = st->first + r;
			Size		at = (Size) r * natts;

			if (col->kind == JFDW_COL_NULL || value_is_null(col, row))
			{
				nulls[at] = true;
				continue;
			}
			nulls[at] = false;
			switch (col->kind)
			{
				case JFDW_COL_FIXED:
					values[at] = Int64GetDatum(fixed_value(col, row));
					break;
				case JFDW_COL_BITS:
					values[at] = BoolGetDatum((((const uint8 *) col->values)[row >> 3] >> (row & 7)) & 1);
					break;
				default:
					values[at] = varlena_value(col, row);
					break;
			}
		}
	}
}

/*
 * Asks Java for the next batch (or, with capacity 1, the next row written
 * into the slot); false at the end.  Kept out of line: the per-row path
 * below must stay small.
 */
static pg_noinline bool
fetch_rows(JfdwScanState *st)
{
	Datum		argv[1];

	if (st->exhausted)
		return false;
	argv[0] = PointerGetDatum(st);
	st->next = 0;
	st->nrows = (int32) jfdw_upcall(JFDW_OP_ITERATE, argv);
	if (st->nrows == 0)
	{
		st->exhausted = true;
		return false;
	}
	if (st->columnar)
		columns_to_rows(st);
	return true;
}

static TupleTableSlot *
jfdwIterateForeignScan(ForeignScanState *node)
{
	JfdwScanState *st = (JfdwScanState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	int			natts;
	Datum	   *values;
	bool	   *nulls;
	Datum	   *slot_values;
	bool	   *slot_nulls;

	ExecClearTuple(slot);
	if (unlikely(st->next >= st->nrows))
	{
		if (!fetch_rows(st))
			return slot;
		if (st->capacity == 1)
		{
			/* Java wrote the slot itself */
			st->next = 1;
			return ExecStoreVirtualTuple(slot);
		}
	}

	/* a loop, not memcpy: rows are a handful of Datums */
	natts = st->natts;
	values = st->values + (Size) st->next * natts;
	nulls = st->nulls + (Size) st->next * natts;
	slot_values = slot->tts_values;
	slot_nulls = slot->tts_isnull;
	for (int i = 0; i < natts; i++)
	{
		slot_values[i] = values[i];
		slot_nulls[i] = nulls[i];
	}
	st->next++;
	return ExecStoreVirtualTuple(slot);
}

static void
jfdwReScanForeignScan(ForeignScanState *node)
{
	JfdwScanState *st = (JfdwScanState *) node->fdw_state;
	Datum		argv[1];

	st->nrows = 0;
	st->next = 0;
	st->exhausted = false;
	argv[0] = PointerGetDatum(st);
	jfdw_upcall(JFDW_OP_RESCAN, argv);
}

static void
jfdwEndForeignScan(ForeignScanState *node)
{
	JfdwScanState *st = (JfdwScanState *) node->fdw_state;
	Datum		argv[1];

	if (st == NULL || st->released)
		return;
	argv[0] = PointerGetDatum(st);
	jfdw_upcall(JFDW_OP_END, argv);
}

static void
jfdwExplainForeignScan(ForeignScanState *node, ExplainState *es)
{
	Datum		argv[2];

	argv[0] = PointerGetDatum(node->fdw_state);
	argv[1] = PointerGetDatum(es);
	jfdw_upcall(JFDW_OP_EXPLAIN, argv);
}

static List *
jfdwImportForeignSchema(ImportForeignSchemaStmt *stmt, Oid serverOid)
{
	Datum		argv[3];

	argv[0] = PointerGetDatum(stmt);
	argv[1] = ObjectIdGetDatum(serverOid);
	argv[2] = ObjectIdGetDatum(routine_of_server(serverOid));
	jfdw_upcall(JFDW_OP_IMPORT, argv);
	return (List *) DatumGetPointer(argv[0]);
}

Datum
jfdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = jfdwGetForeignRelSize;
	routine->GetForeignPaths = jfdwGetForeignPaths;
	routine->GetForeignPlan = jfdwGetForeignPlan;
	routine->BeginForeignScan = jfdwBeginForeignScan;
	routine->IterateForeignScan = jfdwIterateForeignScan;
	routine->ReScanForeignScan = jfdwReScanForeignScan;
	routine->EndForeignScan = jfdwEndForeignScan;
	routine->ExplainForeignScan = jfdwExplainForeignScan;
	routine->ImportForeignSchema = jfdwImportForeignSchema;

	PG_RETURN_POINTER(routine);
}

Datum
jfdw_validator(PG_FUNCTION_ARGS)
{
	List	   *options = untransformRelOptions(PG_GETARG_DATUM(0));
	Datum		argv[3];

	argv[0] = ObjectIdGetDatum(fcinfo->flinfo->fn_oid);
	argv[1] = PointerGetDatum(options);
	argv[2] = ObjectIdGetDatum(PG_GETARG_OID(1));
	jfdw_upcall(JFDW_OP_VALIDATE, argv);
	PG_RETURN_VOID();
}
