/*-------------------------------------------------------------------------
 *
 * cgen.c
 *	  A foreign data wrapper in plain C that produces the same rows as
 *	  jfdw's generator connector, for int8, float8, text and timestamptz
 *	  columns (others are NULL).  It exists only as the baseline of
 *	  `jfdw bench`: what the Java path costs is measured against it.
 *	  Like the generator, it fills only the columns the query uses.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/reloptions.h"
#include "access/sysattr.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "executor/executor.h"
#include "foreign/fdwapi.h"
#include "foreign/foreign.h"
#include "optimizer/optimizer.h"
#include "optimizer/pathnode.h"
#include "optimizer/planmain.h"
#include "optimizer/restrictinfo.h"
#include "utils/builtins.h"
#include "utils/rel.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(cgen_handler);

typedef struct CgenState
{
	int64		rows;
	int64		n;
	int			natts;
	Oid		   *types;
} CgenState;

static int64
cgen_rows(Oid relid)
{
	ListCell   *lc;

	foreach(lc, GetForeignTable(relid)->options)
	{
		DefElem    *def = (DefElem *) lfirst(lc);

		if (strcmp(def->defname, "rows") == 0)
			return pg_strtoint64(defGetString(def));
	}
	return 0;
}

static void
cgenGetForeignRelSize(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	baserel->rows = (double) cgen_rows(foreigntableid);
}

static void
cgenGetForeignPaths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid)
{
	add_path(baserel, (Path *) create_foreignscan_path(root, baserel, NULL, baserel->rows,
													   10, 10 + baserel->rows * 0.01,
													   NIL, NULL, NULL, NIL));
}

/* fdw_private: the attnums the query needs, all of them for a whole row */
static ForeignScan *
cgenGetForeignPlan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
				   ForeignPath *best_path, List *tlist, List *scan_clauses,
				   Plan *outer_plan)
{
	Bitmapset  *attrs = NULL;
	List	   *needed = NIL;
	ListCell   *lc;
	int			i = -1;

	pull_varattnos((Node *) baserel->reltarget->exprs, baserel->relid, &attrs);
	foreach(lc, scan_clauses)
		pull_varattnos((Node *) ((RestrictInfo *) lfirst(lc))->clause, baserel->relid, &attrs);
	while ((i = bms_next_member(attrs, i)) >= 0)
	{
		AttrNumber	attno = i + FirstLowInvalidHeapAttributeNumber;

		if (attno == 0)
		{
			needed = NIL;
			for (attno = 1; attno <= baserel->max_attr; attno++)
				needed = lappend_int(needed, attno);
			break;
		}
		if (attno > 0)
			needed = lappend_int(needed, attno);
	}
	return make_foreignscan(tlist, extract_actual_clauses(scan_clauses, false),
							baserel->relid, NIL, needed, NIL, NIL, outer_plan);
}

static void
cgenBeginForeignScan(ForeignScanState *node, int eflags)
{
	CgenState  *st = palloc0(sizeof(CgenState));
	TupleDesc	desc = node->ss.ss_ScanTupleSlot->tts_tupleDescriptor;
	List	   *needed = ((ForeignScan *) node->ss.ps.plan)->fdw_private;

	st->rows = cgen_rows(RelationGetRelid(node->ss.ss_currentRelation));
	st->natts = desc->natts;
	st->types = palloc(sizeof(Oid) * desc->natts);
	for (int i = 0; i < desc->natts; i++)
		st->types[i] = list_member_int(needed, i + 1) ?
			TupleDescAttr(desc, i)->atttypid : InvalidOid;
	node->fdw_state = st;
}

static TupleTableSlot *
cgenIterateForeignScan(ForeignScanState *node)
{
	CgenState  *st = (CgenState *) node->fdw_state;
	TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
	int64		n;

	ExecClearTuple(slot);
	if (st->n >= st->rows)
		return slot;
	n = ++st->n;
	for (int i = 0; i < st->natts; i++)
	{
		slot->tts_isnull[i] = false;
		switch (st->types[i])
		{
			case INT8OID:
				slot->tts_values[i] = Int64GetDatum(n);
				break;
			case FLOAT8OID:
				slot->tts_values[i] = Float8GetDatum(n / 4.0);
				break;
			case TEXTOID:
				slot->tts_values[i] = PointerGetDatum(cstring_to_text(psprintf("row " INT64_FORMAT, n)));
				break;
			case TIMESTAMPTZOID:
				slot->tts_values[i] = Int64GetDatum(n * 1000000);
				break;
			default:
				slot->tts_isnull[i] = true;
		}
	}
	return ExecStoreVirtualTuple(slot);
}

static void
cgenReScanForeignScan(ForeignScanState *node)
{
	((CgenState *) node->fdw_state)->n = 0;
}

static void
cgenEndForeignScan(ForeignScanState *node)
{
}

Datum
cgen_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = cgenGetForeignRelSize;
	routine->GetForeignPaths = cgenGetForeignPaths;
	routine->GetForeignPlan = cgenGetForeignPlan;
	routine->BeginForeignScan = cgenBeginForeignScan;
	routine->IterateForeignScan = cgenIterateForeignScan;
	routine->ReScanForeignScan = cgenReScanForeignScan;
	routine->EndForeignScan = cgenEndForeignScan;
	PG_RETURN_POINTER(routine);
}
