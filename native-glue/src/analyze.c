/*-------------------------------------------------------------------------
 *
 * analyze.c
 *	  ANALYZE of a jfdw foreign table.
 *
 * Java says whether the table may be read whole and how many rows it
 * expects (fdw.c); the sample is then drawn here from every row of
 * `SELECT <columns> FROM ONLY <table>`, run through SPI, as file_fdw draws
 * its sample from every line of its file.  Going through a query rather
 * than a scan of our own means ANALYZE reads rows exactly as queries do:
 * the same planning, batches, columnar path, domain checks, errors and
 * cancellation, for Connector SPI and FdwRoutine wrappers alike.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include <math.h>

#include "access/htup_details.h"
#include "commands/vacuum.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/bufpage.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/sampling.h"

/*
 * The pages `rows` rows of the table would fill in a heap table, its
 * relpages: ANALYZE of a partitioned table shares its sample among the
 * partitions in proportion to their pages, so a foreign partition's must
 * weigh its rows as a heap partition's do.  Widths as the planner's
 * (set_rel_width, estimate_rel_size): the statistics' where there are
 * some, else the types'.
 */
BlockNumber
jfdw_heap_pages(Relation relation, double rows)
{
	TupleDesc	desc = RelationGetDescr(relation);
	double		width = MAXALIGN(SizeofHeapTupleHeader) + sizeof(ItemIdData);
	double		pages;

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		int32		w;

		if (att->attisdropped)
			continue;
		w = get_attavgwidth(RelationGetRelid(relation), att->attnum);
		width += w > 0 ? w : get_typavgwidth(att->atttypid, att->atttypmod);
	}
	/* relpages is an int4 */
	pages = ceil(rows * width / (BLCKSZ - SizeOfPageHeaderData));
	return (BlockNumber) Max(1, Min(pages, PG_INT32_MAX));
}

/*
 * The query that reads every row: the table's live columns, in order, so
 * that a row of its result fills them and leaves dropped ones NULL.
 */
static char *
sample_query(Relation relation, int *attnums, int *ncolumns)
{
	TupleDesc	desc = RelationGetDescr(relation);
	StringInfoData sql;
	int			n = 0;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ");
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (att->attisdropped)
			continue;
		if (n > 0)
			appendStringInfoString(&sql, ", ");
		appendStringInfoString(&sql, quote_identifier(NameStr(att->attname)));
		attnums[n++] = i;
	}
	appendStringInfo(&sql, " FROM ONLY %s",
					 quote_qualified_identifier(get_namespace_name(RelationGetNamespace(relation)),
												RelationGetRelationName(relation)));
	*ncolumns = n;
	return sql.data;
}

/*
 * Where the query's rows go: Algorithm Z reservoir sampling over every row
 * (Vitter, as analyze.c and file_fdw): the first targrows rows fill the
 * sample, then each later one replaces a random member with the
 * probability that keeps the sample uniform.  Only rows kept are formed
 * into tuples, in ANALYZE's memory; the others are never copied.  The
 * sample's order is arbitrary, which ANALYZE accepts of foreign tables.
 */
typedef struct SampleReceiver
{
	DestReceiver pub;
	TupleDesc	desc;			/* the relation's */
	int		   *attnums;		/* result column i is attribute attnums[i] */
	int			ncolumns;
	Datum	   *values;			/* a row of the relation: dropped columns NULL */
	bool	   *nulls;
	MemoryContext sample_cxt;
	HeapTuple  *rows;
	int			targrows;
	int			numrows;
	double		totalrows;
	double		rowstoskip;
	ReservoirStateData rstate;
} SampleReceiver;

static bool
sample_receive(TupleTableSlot *slot, DestReceiver *self)
{
	SampleReceiver *r = (SampleReceiver *) self;
	MemoryContext oldcxt;
	int			k = -1;

	vacuum_delay_point();
	if (r->numrows < r->targrows)
		k = r->numrows++;
	else
	{
		if (r->rowstoskip < 0)
			r->rowstoskip = reservoir_get_next_S(&r->rstate, r->totalrows,
												 r->targrows);
		if (r->rowstoskip <= 0)
		{
			k = (int) (r->targrows * sampler_random_fract(&r->rstate.randstate));
			Assert(k >= 0 && k < r->targrows);
			heap_freetuple(r->rows[k]);
		}
		r->rowstoskip -= 1;
	}
	r->totalrows += 1;
	if (k < 0)
		return true;

	slot_getallattrs(slot);
	for (int c = 0; c < r->ncolumns; c++)
	{
		r->values[r->attnums[c]] = slot->tts_values[c];
		r->nulls[r->attnums[c]] = slot->tts_isnull[c];
	}
	oldcxt = MemoryContextSwitchTo(r->sample_cxt);
	r->rows[k] = heap_form_tuple(r->desc, r->values, r->nulls);
	MemoryContextSwitchTo(oldcxt);
	return true;
}

static void
sample_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
sample_shutdown(DestReceiver *self)
{
}

/*
 * The query runs as ANALYZE's own work does: as the analyzed table's owner,
 * security-restricted.  A foreign partition is read as its parent's owner,
 * who needs SELECT on it: running it as the partition's owner instead would
 * run the parent owner's functions (a domain's CHECK) with the partition
 * owner's rights.
 */
int
jfdw_acquire_sample_rows(Relation relation, int elevel, HeapTuple *rows,
						 int targrows, double *totalrows, double *totaldeadrows)
{
	TupleDesc	desc = RelationGetDescr(relation);
	SampleReceiver r = {0};
	SPIExecuteOptions options = {0};
	char	   *sql;
	int			rc;

	r.pub.receiveSlot = sample_receive;
	r.pub.rStartup = sample_startup;
	r.pub.rShutdown = sample_shutdown;
	r.pub.rDestroy = sample_shutdown;
	r.pub.mydest = DestNone;
	r.desc = desc;
	r.attnums = palloc_array(int, Max(desc->natts, 1));
	r.values = palloc_array(Datum, Max(desc->natts, 1));
	r.nulls = palloc_array(bool, Max(desc->natts, 1));
	r.sample_cxt = CurrentMemoryContext;
	r.rows = rows;
	r.targrows = targrows;
	r.rowstoskip = -1;
	for (int i = 0; i < desc->natts; i++)
		r.nulls[i] = true;
	reservoir_init_selection_state(&r.rstate, targrows);
	sql = sample_query(relation, r.attnums, &r.ncolumns);

	SPI_connect();
	options.read_only = true;
	options.dest = &r.pub;
	rc = SPI_execute_extended(sql, &options);
	/* SPI's code for a SELECT whose rows go to a DestNone receiver */
	if (rc != SPI_OK_UTILITY)
		elog(ERROR, "jfdw: \"%s\" failed: %s", sql, SPI_result_code_string(rc));
	SPI_finish();

	*totalrows = r.totalrows;
	*totaldeadrows = 0;
	ereport(elevel,
			(errmsg("\"%s\": table contains %.0f rows; %d rows in sample",
					RelationGetRelationName(relation), r.totalrows, r.numrows)));
	return r.numrows;
}
