/*-------------------------------------------------------------------------
 *
 * offsets.c
 *	  The layout of every Postgres struct Java reads, as the compiler saw it
 *	  in the server headers this library was built against.
 *
 * Struct layouts differ between majors and build options; Java builds its
 * views from this table at boot and has no offsets of its own.  Names are
 * "Type.field" (nested fields spelled out), "sizeof(Type)", and constants
 * by their C name.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include "access/tupdesc.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_foreign_data_wrapper.h"
#include "catalog/pg_foreign_server.h"
#include "catalog/pg_foreign_table.h"
#include "catalog/pg_type.h"
#include "catalog/pg_user_mapping.h"
#include "commands/explain.h"
#include "datatype/timestamp.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "foreign/foreign.h"
#include "nodes/execnodes.h"
#include "nodes/parsenodes.h"
#include "nodes/pathnodes.h"
#include "nodes/plannodes.h"
#include "nodes/primnodes.h"
#include "nodes/value.h"
#include "utils/elog.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#define OFF(type, field) {#type "." #field, (int64) offsetof(type, field)}
#define SIZE(type) {"sizeof(" #type ")", (int64) sizeof(type)}
#define MEMBER_SIZE(type, field) {"sizeof(" #type "." #field ")", (int64) sizeof(((type *) 0)->field)}
#define VAL(name) {#name, (int64) (name)}

const JfdwOffset jfdw_offsets[] = {
	/* build facts */
	VAL(PG_VERSION_NUM),
	SIZE(Datum),
	VAL(NAMEDATALEN),
	VAL(MaxAllocSize),
	VAL(FLOAT8PASSBYVAL),

	/* date/time ranges */
	VAL(POSTGRES_EPOCH_JDATE), VAL(DATE_END_JULIAN), VAL(MIN_TIMESTAMP), VAL(END_TIMESTAMP),

	/* elog levels */
	VAL(DEBUG5), VAL(DEBUG4), VAL(DEBUG3), VAL(DEBUG2), VAL(DEBUG1),
	VAL(LOG), VAL(INFO), VAL(NOTICE), VAL(WARNING),

	/* node tags */
	VAL(T_List), VAL(T_IntList), VAL(T_OidList), VAL(T_String), VAL(T_Integer),
	VAL(T_Const), VAL(T_DefElem), VAL(T_ForeignScan), VAL(T_Var), VAL(T_Param),
	VAL(T_OpExpr), VAL(T_ScalarArrayOpExpr), VAL(T_NullTest), VAL(T_BoolExpr),
	VAL(T_RestrictInfo), VAL(T_RelabelType), VAL(T_FuncExpr),

	/* catalogs a validator is called for */
	VAL(ForeignDataWrapperRelationId), VAL(ForeignServerRelationId),
	VAL(UserMappingRelationId), VAL(ForeignTableRelationId), VAL(AttributeRelationId),

	/* executor flags */
	VAL(EXEC_FLAG_EXPLAIN_ONLY),

	/* built-in types with a binary codec */
	VAL(BOOLOID), VAL(INT2OID), VAL(INT4OID), VAL(INT8OID), VAL(FLOAT4OID),
	VAL(FLOAT8OID), VAL(NUMERICOID), VAL(TEXTOID), VAL(VARCHAROID), VAL(BPCHAROID),
	VAL(BYTEAOID), VAL(DATEOID), VAL(TIMEOID), VAL(TIMESTAMPOID), VAL(TIMESTAMPTZOID),
	VAL(INTERVALOID), VAL(UUIDOID), VAL(JSONOID), VAL(JSONBOID), VAL(NAMEOID),

	/* struct sizes, which bound the views */
	SIZE(List), SIZE(String), SIZE(DefElem), SIZE(Const), SIZE(PlannerInfo),
	SIZE(RelOptInfo), SIZE(PathTarget), SIZE(ForeignPath), SIZE(ForeignScan),
	SIZE(ForeignScanState), SIZE(EState), SIZE(TupleTableSlot), SIZE(TupleDescData),
	SIZE(ForeignTable), SIZE(ForeignServer), SIZE(ForeignDataWrapper), SIZE(UserMapping),
	SIZE(ExplainState), SIZE(ErrorData), SIZE(RelationData),

	/* Node, List */
	OFF(Node, type),
	OFF(List, length),
	OFF(List, elements),
	SIZE(ListCell),
	OFF(String, sval),
	OFF(DefElem, defname),
	OFF(DefElem, arg),
	OFF(Const, consttype),
	OFF(Const, consttypmod),
	OFF(Const, constlen),
	OFF(Const, constvalue),
	OFF(Const, constisnull),
	OFF(Const, constbyval),

	/* foreign catalog objects */
	OFF(ForeignTable, relid),
	OFF(ForeignTable, serverid),
	OFF(ForeignTable, options),
	OFF(ForeignServer, serverid),
	OFF(ForeignServer, fdwid),
	OFF(ForeignServer, servername),
	OFF(ForeignServer, servertype),
	OFF(ForeignServer, serverversion),
	OFF(ForeignServer, options),
	OFF(ForeignDataWrapper, fdwid),
	OFF(ForeignDataWrapper, fdwname),
	OFF(ForeignDataWrapper, fdwhandler),
	OFF(ForeignDataWrapper, fdwvalidator),
	OFF(ForeignDataWrapper, options),
	OFF(UserMapping, umid),
	OFF(UserMapping, userid),
	OFF(UserMapping, serverid),
	OFF(UserMapping, options),

	/* planner */
	OFF(PlannerInfo, parse),
	OFF(PlannerInfo, query_level),
	OFF(PlannerInfo, tuple_fraction),
	OFF(PlannerInfo, limit_tuples),
	OFF(PlannerInfo, query_pathkeys),
	OFF(RelOptInfo, relid),
	OFF(RelOptInfo, rows),
	OFF(RelOptInfo, reltarget),
	OFF(RelOptInfo, baserestrictinfo),
	OFF(RelOptInfo, fdw_private),
	OFF(RelOptInfo, serverid),
	OFF(RelOptInfo, userid),
	OFF(RelOptInfo, pages),
	OFF(RelOptInfo, tuples),
	OFF(RelOptInfo, pathlist),
	OFF(PathTarget, exprs),
	OFF(PathTarget, width),
	OFF(ForeignPath, path.rows),
	OFF(ForeignPath, path.startup_cost),
	OFF(ForeignPath, path.total_cost),
	OFF(ForeignPath, path.pathkeys),
	OFF(ForeignPath, fdw_private),
	OFF(ForeignPath, path.param_info),
	OFF(ForeignScan, scan.plan.targetlist),
	OFF(ForeignScan, scan.scanrelid),
	OFF(ForeignScan, fdw_exprs),
	OFF(ForeignScan, fdw_private),
	OFF(ForeignScan, fdw_scan_tlist),
	OFF(ForeignScan, fdw_recheck_quals),
	OFF(ForeignScan, fs_server),

	/* executor */
	OFF(ForeignScanState, ss.ps.plan),
	OFF(ForeignScanState, ss.ps.state),
	OFF(ForeignScanState, ss.ss_currentRelation),
	OFF(ForeignScanState, ss.ss_ScanTupleSlot),
	OFF(ForeignScanState, fdw_state),
	OFF(EState, es_query_cxt),
	OFF(EState, es_param_list_info),
	OFF(TupleTableSlot, tts_flags),
	OFF(TupleTableSlot, tts_nvalid),
	OFF(TupleTableSlot, tts_tupleDescriptor),
	OFF(TupleTableSlot, tts_values),
	OFF(TupleTableSlot, tts_isnull),
	OFF(TupleTableSlot, tts_mcxt),
	OFF(TupleDescData, natts),
	OFF(TupleDescData, tdtypeid),
	OFF(TupleDescData, attrs),
	SIZE(FormData_pg_attribute),
	OFF(FormData_pg_attribute, attname),
	OFF(FormData_pg_attribute, atttypid),
	OFF(FormData_pg_attribute, attlen),
	OFF(FormData_pg_attribute, attnum),
	OFF(FormData_pg_attribute, atttypmod),
	OFF(FormData_pg_attribute, attbyval),
	OFF(FormData_pg_attribute, attalign),
	OFF(FormData_pg_attribute, attnotnull),
	OFF(FormData_pg_attribute, attisdropped),
	OFF(FormData_pg_attribute, attcollation),
	OFF(RelationData, rd_id),
	OFF(RelationData, rd_att),
	OFF(ExplainState, verbose),
	OFF(ExplainState, analyze),
	OFF(ExplainState, costs),

	/* errors */
	OFF(ErrorData, elevel),
	OFF(ErrorData, sqlerrcode),
	OFF(ErrorData, message),
	OFF(ErrorData, detail),
	OFF(ErrorData, hint),
	OFF(ErrorData, context),
	OFF(ErrorData, detail_log),
	OFF(ErrorData, internalquery),

	/* expression nodes, for the Connector SPI's restriction model */
	SIZE(Var), SIZE(Param), SIZE(OpExpr), SIZE(ScalarArrayOpExpr), SIZE(NullTest),
	SIZE(BoolExpr), SIZE(RelabelType), SIZE(RestrictInfo),
	OFF(Var, varno),
	OFF(Var, varattno),
	OFF(Var, vartype),
	OFF(Var, vartypmod),
	OFF(Var, varcollid),
	OFF(Var, varlevelsup),
	OFF(Const, constcollid),
	OFF(Param, paramkind),
	OFF(Param, paramid),
	OFF(Param, paramtype),
	OFF(OpExpr, opno),
	OFF(OpExpr, args),
	OFF(OpExpr, inputcollid),
	OFF(ScalarArrayOpExpr, opno),
	OFF(ScalarArrayOpExpr, useOr),
	OFF(ScalarArrayOpExpr, args),
	OFF(ScalarArrayOpExpr, inputcollid),
	OFF(NullTest, arg),
	OFF(NullTest, nulltesttype),
	OFF(NullTest, argisrow),
	OFF(BoolExpr, boolop),
	OFF(BoolExpr, args),
	OFF(RelabelType, arg),
	OFF(RestrictInfo, clause),
	OFF(RestrictInfo, pseudoconstant),
	VAL(IS_NULL), VAL(IS_NOT_NULL), VAL(AND_EXPR), VAL(OR_EXPR), VAL(NOT_EXPR),
	VAL(DEFAULT_COLLATION_OID), VAL(C_COLLATION_OID), VAL(InvalidOid),

	/* IMPORT FOREIGN SCHEMA */
	SIZE(ImportForeignSchemaStmt), SIZE(RangeVar),
	OFF(ImportForeignSchemaStmt, remote_schema),
	OFF(ImportForeignSchemaStmt, local_schema),
	OFF(ImportForeignSchemaStmt, list_type),
	OFF(ImportForeignSchemaStmt, table_list),
	OFF(ImportForeignSchemaStmt, options),
	OFF(RangeVar, relname),
	VAL(FDW_IMPORT_SCHEMA_ALL), VAL(FDW_IMPORT_SCHEMA_LIMIT_TO), VAL(FDW_IMPORT_SCHEMA_EXCEPT),

	/* jfdw's own structs */
	OFF(JfdwScanState, handle),
	OFF(JfdwScanState, check_as_user),
	OFF(JfdwScanState, natts),
	OFF(JfdwScanState, capacity),
	OFF(JfdwScanState, nrows),
	OFF(JfdwScanState, exhausted),
	OFF(JfdwScanState, released),
	OFF(JfdwScanState, values),
	OFF(JfdwScanState, nulls),
	OFF(JfdwScanState, batch_cxt),
	OFF(JfdwScanState, columnar),
	OFF(JfdwScanState, first),
	OFF(JfdwScanState, columns),
	SIZE(JfdwScanState),
	OFF(JfdwColumn, kind),
	OFF(JfdwColumn, width),
	OFF(JfdwColumn, is_signed),
	OFF(JfdwColumn, scaled),
	OFF(JfdwColumn, index_signed),
	OFF(JfdwColumn, index_width),
	OFF(JfdwColumn, mul),
	OFF(JfdwColumn, div),
	OFF(JfdwColumn, add),
	OFF(JfdwColumn, values),
	OFF(JfdwColumn, data),
	OFF(JfdwColumn, validity),
	OFF(JfdwColumn, indexes),
	OFF(JfdwColumn, made),
	OFF(JfdwColumn, out),
	SIZE(JfdwColumn),
	VAL(JFDW_COL_NULL), VAL(JFDW_COL_ROWS), VAL(JFDW_COL_FIXED), VAL(JFDW_COL_BITS), VAL(JFDW_COL_VARLENA),
	OFF(JfdwJavaError, sqlstate),
	OFF(JfdwJavaError, message),
	OFF(JfdwJavaError, detail),
	OFF(JfdwJavaError, hint),
	OFF(JfdwJavaError, context),
	MEMBER_SIZE(JfdwJavaError, message),
	MEMBER_SIZE(JfdwJavaError, detail),
	MEMBER_SIZE(JfdwJavaError, hint),
	MEMBER_SIZE(JfdwJavaError, context),
	SIZE(JfdwJavaError),
};

const int	jfdw_noffsets = lengthof(jfdw_offsets);
