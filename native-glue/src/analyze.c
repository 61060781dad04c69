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
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "storage/bufpage.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/sampling.h"

/* Rows fetched from the query at a time: its tuples are freed after each. */
#define SAMPLE_FETCH 1000

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
	int32		width = MAXALIGN(SizeofHeapTupleHeader) + sizeof(ItemIdData);
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
	pages = ceil(rows * width / (BLCKSZ - SizeOfPageHeaderData));
	return (BlockNumber) Max(1, Min(pages, MaxBlockNumber));
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
 * Algorithm Z reservoir sampling over every row (Vitter, as analyze.c and
 * file_fdw): the first targrows rows fill the sample, then each later one
 * replaces a random member with the probability that keeps the sample
 * uniform.  The sample's order is arbitrary, which ANALYZE accepts of
 * foreign tables (their correlation statistic means nothing).
 */
int
jfdw_acquire_sample_rows(Relation relation, int elevel, HeapTuple *rows,
						 int targrows, double *totalrows, double *totaldeadrows)
{
	TupleDesc	desc = RelationGetDescr(relation);
	MemoryContext sample_cxt = CurrentMemoryContext;
	Datum	   *values = palloc_array(Datum, desc->natts);
	bool	   *nulls = palloc_array(bool, desc->natts);
	Datum	   *row_values = palloc_array(Datum, Max(desc->natts, 1));
	bool	   *row_nulls = palloc_array(bool, Max(desc->natts, 1));
	int		   *attnums = palloc_array(int, Max(desc->natts, 1));
	int			ncolumns;
	char	   *sql = sample_query(relation, attnums, &ncolumns);
	ReservoirStateData rstate;
	double		rowstoskip = -1;
	int			numrows = 0;
	SPIPlanPtr	plan;
	Portal		portal;

	*totalrows = 0;
	*totaldeadrows = 0;
	for (int i = 0; i < desc->natts; i++)
		nulls[i] = true;
	reservoir_init_selection_state(&rstate, targrows);

	SPI_connect();
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "jfdw: could not prepare \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, SAMPLE_FETCH);
		if (SPI_processed == 0)
			break;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			int			k = -1;
			MemoryContext oldcxt;

			vacuum_delay_point();
			if (numrows < targrows)
				k = numrows++;
			else
			{
				if (rowstoskip < 0)
					rowstoskip = reservoir_get_next_S(&rstate, *totalrows, targrows);
				if (rowstoskip <= 0)
				{
					k = (int) (targrows * sampler_random_fract(&rstate.randstate));
					Assert(k >= 0 && k < targrows);
					heap_freetuple(rows[k]);
				}
				rowstoskip -= 1;
			}
			*totalrows += 1;
			if (k < 0)
				continue;

			heap_deform_tuple(SPI_tuptable->vals[r], SPI_tuptable->tupdesc,
							  row_values, row_nulls);
			for (int c = 0; c < ncolumns; c++)
			{
				values[attnums[c]] = row_values[c];
				nulls[attnums[c]] = row_nulls[c];
			}
			/* in ANALYZE's context: SPI's goes away with SPI_finish */
			oldcxt = MemoryContextSwitchTo(sample_cxt);
			rows[k] = heap_form_tuple(desc, values, nulls);
			MemoryContextSwitchTo(oldcxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();

	ereport(elevel,
			(errmsg("\"%s\": table contains %.0f rows; %d rows in sample",
					RelationGetRelationName(relation), *totalrows, numrows)));
	return numrows;
}
