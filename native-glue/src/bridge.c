/*-------------------------------------------------------------------------
 *
 * bridge.c
 *	  Calls across the boundary, and errors in both directions.
 *
 * Upcalls (C calls Java).  The Java entry point catches everything and
 * returns a status; C raises the ERROR only after the Java frames are gone.
 *
 * Guarded downcalls (Java calls Postgres).  A Postgres ERROR must never
 * longjmp across Java frames, so every Postgres function Java may call that
 * can raise runs inside jfdw_guard(): the error is copied, the error state
 * flushed, and the copy parked as the pending error.  Java turns the status
 * into a PgException.  Until the pending error has propagated (the upcall
 * returns and C re-throws it with all its fields), further guarded calls
 * are refused: after an error, Postgres state may be inconsistent until
 * the transaction aborts.  The exception is a subtransaction: rolling it
 * back restores a consistent state, so Java may catch an error raised
 * inside one and go on, as PL/pgSQL's EXCEPTION blocks do.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

JfdwBridge	jfdw_bridge;

JfdwJavaError jfdw_java_error;

static ErrorData *pending_error = NULL;
static MemoryContext pending_cxt = NULL;

/* Nesting of upcalls: an inner one keeps an outer one's pending error. */
static int	upcall_depth = 0;

typedef struct Subxact
{
	MemoryContext cxt;
	ResourceOwner owner;
} Subxact;

#define MAX_SUBXACT_DEPTH 64
static Subxact subxacts[MAX_SUBXACT_DEPTH];
static int	subxact_depth = 0;

static void rollback_subxact(int32 depth);

typedef struct ReleaseCallback
{
	MemoryContextCallback cb;
	int32		handle;
} ReleaseCallback;

/*
 * A transaction's end: no Java code is running, and neither subtransactions
 * nor a pending error outlive the top transaction (an abort has rolled back
 * the former and reported the latter).
 */
static void
xact_callback(XactEvent event, void *arg)
{
	subxact_depth = 0;
	upcall_depth = 0;
	pending_error = NULL;
}

void
jfdw_bridge_init(void)
{
	/* made now: the guard must not allocate anything but the error's copy */
	pending_cxt = AllocSetContextCreate(TopMemoryContext, "jfdw pending error",
										ALLOCSET_SMALL_SIZES);
	RegisterXactCallback(xact_callback, NULL);
}

bool
jfdw_exiting(void)
{
	return proc_exit_inprogress;
}

static void
forget_pending_error(void)
{
	pending_error = NULL;
	MemoryContextReset(pending_cxt);
}

static void
report_java_error(void)
{
	JfdwJavaError *e = &jfdw_java_error;
	int			sqlerrcode = ERRCODE_INTERNAL_ERROR;
	bool		valid = strlen(e->sqlstate) == 5;

	for (int i = 0; valid && i < 5; i++)
		valid = (e->sqlstate[i] >= '0' && e->sqlstate[i] <= '9') ||
			(e->sqlstate[i] >= 'A' && e->sqlstate[i] <= 'Z');
	/* success, warning and no-data classes are no error's */
	if (valid && e->sqlstate[0] == '0' && e->sqlstate[1] <= '2')
		valid = false;
	if (valid)
		sqlerrcode = MAKE_SQLSTATE(e->sqlstate[0], e->sqlstate[1], e->sqlstate[2],
								   e->sqlstate[3], e->sqlstate[4]);

	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg_internal("%s", e->message[0] ? e->message : "Java error without a message"),
			 e->detail[0] ? errdetail_internal("%s", e->detail) : 0,
			 e->hint[0] ? errhint("%s", e->hint) : 0,
			 e->context[0] ? errcontext("%s", e->context) : 0));
}

/* Nothing of an earlier error may show in the next one Java reports. */
static void
clear_java_error(void)
{
	jfdw_java_error.sqlstate[0] = '\0';
	jfdw_java_error.message[0] = '\0';
	jfdw_java_error.detail[0] = '\0';
	jfdw_java_error.hint[0] = '\0';
	jfdw_java_error.context[0] = '\0';
}

/* An error context callback: the context Java reported with its status. */
static void
java_context(void *arg)
{
	if (jfdw_java_error.context[0])
		errcontext("%s", jfdw_java_error.context);
}

/*
 * Call Java and turn a failure into an ERROR.  Returns the upcall's
 * non-negative result.
 */
int64
jfdw_upcall(JfdwOp op, Datum *argv)
{
	int64		rc;
	int			entry_subxact_depth = subxact_depth;

	jfdw_jvm_ensure_started();
	if (upcall_depth == 0)
		forget_pending_error();
	clear_java_error();

	upcall_depth++;
	rc = jfdw_bridge.upcall((int32) op, argv);
	upcall_depth--;

	if (subxact_depth > entry_subxact_depth)
	{
		/* rolling back runs Java's cleanup (RELEASE), which reuses the buffer */
		JfdwJavaError *java_error = NULL;

		if (rc == JFDW_STATUS_JAVA_ERROR)
		{
			java_error = palloc(sizeof(JfdwJavaError));
			memcpy(java_error, &jfdw_java_error, sizeof(JfdwJavaError));
		}
		/* an error raised inside, still pending, is the one to report */
		while (subxact_depth > entry_subxact_depth)
			rollback_subxact(subxact_depth);
		if (java_error != NULL)
		{
			memcpy(&jfdw_java_error, java_error, sizeof(JfdwJavaError));
			pfree(java_error);
		}
		if (pending_error == NULL && rc >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TRANSACTION_STATE),
					 errmsg("jfdw connector left a subtransaction open")));
	}

	/*
	 * A Postgres error raised under Java wins over whatever Java returned.
	 * Re-thrown here, at any depth: a nested upcall runs under a guarded
	 * call of the outer Java, or under a PL/pgSQL EXCEPTION block between
	 * the two, and whichever is nearer must see the error now.  Left pending
	 * for the outermost upcall, an error that block caught would refuse the
	 * outer Java's calls and surface again when it returns.
	 */
	if (pending_error != NULL)
	{
		ErrorData  *edata = pending_error;

		pending_error = NULL;
		ReThrowError(edata);
	}
	if (rc >= 0)
		return rc;
	if (rc == JFDW_STATUS_PG_ERROR)
		elog(ERROR, "jfdw: Java reported a Postgres error that is not pending");
	if (rc == JFDW_STATUS_INTERRUPT)
	{
		ErrorContextCallback callback;

		/* the interrupt is served here, but it stopped Java: say where */
		callback.callback = java_context;
		callback.arg = NULL;
		callback.previous = error_context_stack;
		error_context_stack = &callback;
		CHECK_FOR_INTERRUPTS();
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling statement due to interrupt")));
	}
	report_java_error();
	return -1;					/* keep compiler quiet */
}

/*
 * An upcall that must not raise: used from memory context callbacks, which
 * may run during error recovery.  A failure is only logged.
 */
void
jfdw_upcall_void(JfdwOp op, Datum *argv)
{
	int64		rc;

	if (jfdw_exiting() || !jfdw_jvm_is_running())
		return;
	clear_java_error();
	upcall_depth++;
	rc = jfdw_bridge.upcall((int32) op, argv);
	upcall_depth--;
	if (rc < 0)
		elog(LOG, "jfdw: Java cleanup (op %d) failed: %s", (int) op,
			 rc == JFDW_STATUS_PG_ERROR && pending_error != NULL ? pending_error->message :
			 rc == JFDW_STATUS_INTERRUPT ? "interrupted" : jfdw_java_error.message);
}

static void
release_callback(void *arg)
{
	ReleaseCallback *rc = (ReleaseCallback *) arg;
	Datum		argv[1];

	argv[0] = Int32GetDatum(rc->handle);
	jfdw_upcall_void(JFDW_OP_RELEASE, argv);
}

/* Tell Java (op RELEASE, `handle`) when `cxt` is reset or deleted. */
void
jfdw_release_on_reset(MemoryContext cxt, int32 handle)
{
	ReleaseCallback *rc = MemoryContextAlloc(cxt, sizeof(ReleaseCallback));

	rc->handle = handle;
	rc->cb.func = release_callback;
	rc->cb.arg = rc;
	MemoryContextRegisterResetCallback(cxt, &rc->cb);
}

/*
 * The error being handled, copied where it outlives the memory of the code
 * that raised it.  With no memory for the copy, "out of memory" stands in
 * for it: an ERROR raised here would unwind through Java's frames.
 */
static ErrorData *
copy_error(void)
{
	static ErrorData out_of_memory;
	ErrorData  *volatile copy = NULL;
	MemoryContext oldcxt = MemoryContextSwitchTo(pending_cxt);

	PG_TRY();
	{
		copy = CopyErrorData();
	}
	PG_CATCH();
	{
		MemSet(&out_of_memory, 0, sizeof(out_of_memory));
		out_of_memory.elevel = ERROR;
		out_of_memory.sqlerrcode = ERRCODE_OUT_OF_MEMORY;
		out_of_memory.message = "out of memory";
		out_of_memory.detail = "jfdw could not copy the error raised under a Java connector.";
		copy = &out_of_memory;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(oldcxt);
	return copy;
}

int32
jfdw_guard(JfdwDowncall fn, Datum *argv)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	volatile int32 rc = JFDW_GUARD_OK;

	if (pending_error != NULL && fn != jfdw_subxact_rollback)
		return JFDW_GUARD_REFUSED;

	PG_TRY();
	{
		rc = fn(argv);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(oldcxt);
		pending_error = copy_error();
		FlushErrorState();
		rc = JFDW_GUARD_PG_ERROR;
	}
	PG_END_TRY();
	return rc;
}

/*
 * A call that cannot raise: no PG_TRY.  It shares jfdw_guard's signature so
 * that Java links a single downcall shape for every call into the glue.
 */
int32
jfdw_direct(JfdwDowncall fn, Datum *argv)
{
	return fn(argv);
}

/*
 * The pending error, for Java to read.  argv[0] out: ErrorData *.
 */
int32
jfdw_pending_error(Datum *argv)
{
	argv[0] = PointerGetDatum(pending_error);
	return JFDW_GUARD_OK;
}

/*
 * Not guarded: [0] a CONTEXT line to add to the pending error, so that an
 * error raised under Java says which column or row it was about.  Raises
 * no ERROR: with no memory for it, the line is left out.
 */
int32
jfdw_pending_error_context(Datum *argv)
{
	const char *line = (const char *) DatumGetPointer(argv[0]);
	const char *before;
	size_t		len;
	char	   *context;

	if (pending_error == NULL)
		return JFDW_GUARD_OK;
	before = pending_error->context;
	len = (before ? strlen(before) + 1 : 0) + strlen(line) + 1;
	if (!AllocSizeIsValid(len))
		return JFDW_GUARD_OK;
	context = MemoryContextAllocExtended(pending_cxt, len, MCXT_ALLOC_NO_OOM);
	if (context == NULL)
		return JFDW_GUARD_OK;
	snprintf(context, len, "%s%s%s", before ? before : "", before ? "\n" : "", line);
	pending_error->context = context;
	return JFDW_GUARD_OK;
}

static void
replace_field(char **field, const char *text)
{
	size_t		len;
	char	   *copy;

	if (text == NULL)
		return;
	len = strlen(text) + 1;
	if (!AllocSizeIsValid(len))
		return;					/* the allocation would raise an ERROR */
	copy = MemoryContextAllocExtended(pending_cxt, len, MCXT_ALLOC_NO_OOM);
	if (copy == NULL)
		return;
	memcpy(copy, text, len);
	*field = copy;
}

/*
 * Not guarded: [0..5] the pending error's message, detail, hint, context,
 * detail_log and internalquery rewritten (NULL: unchanged), with secret
 * option values masked.  Raises no ERROR: a field that cannot be copied
 * stays as it was.
 */
int32
jfdw_pending_error_replace(Datum *argv)
{
	if (pending_error == NULL)
		return JFDW_GUARD_OK;
	replace_field(&pending_error->message, (const char *) DatumGetPointer(argv[0]));
	replace_field(&pending_error->detail, (const char *) DatumGetPointer(argv[1]));
	replace_field(&pending_error->hint, (const char *) DatumGetPointer(argv[2]));
	replace_field(&pending_error->context, (const char *) DatumGetPointer(argv[3]));
	replace_field(&pending_error->detail_log, (const char *) DatumGetPointer(argv[4]));
	replace_field(&pending_error->internalquery, (const char *) DatumGetPointer(argv[5]));
	return JFDW_GUARD_OK;
}

/* argv[0] out: the new subtransaction depth. */
int32
jfdw_subxact_begin(Datum *argv)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;

	if (subxact_depth >= MAX_SUBXACT_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("jfdw subtransactions nested deeper than %d", MAX_SUBXACT_DEPTH)));
	/* BeginInternalSubTransaction's own error, with what to do about it */
	if (IsInParallelMode())
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TRANSACTION_STATE),
				 errmsg("cannot start subtransactions during a parallel operation"),
				 errdetail("A jfdw connector asked for a subtransaction, to catch a PostgreSQL error, "
						   "in a query that runs in parallel mode."),
				 errhint("Run the query without parallelism: SET max_parallel_workers_per_gather = 0.")));
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	subxacts[subxact_depth].cxt = cxt;
	subxacts[subxact_depth].owner = owner;
	argv[0] = Int32GetDatum(++subxact_depth);
	return JFDW_GUARD_OK;
}

static void
check_subxact_depth(int32 depth)
{
	if (depth != subxact_depth || depth <= 0)
		elog(ERROR, "jfdw subtransaction %d ended out of order (innermost is %d)",
			 depth, subxact_depth);
}

/* Back in the enclosing (sub)transaction: its memory context and resource owner. */
static void
pop_subxact(void)
{
	subxact_depth--;
	MemoryContextSwitchTo(subxacts[subxact_depth].cxt);
	CurrentResourceOwner = subxacts[subxact_depth].owner;
}

/* argv[0]: depth returned by begin. */
int32
jfdw_subxact_commit(Datum *argv)
{
	check_subxact_depth(DatumGetInt32(argv[0]));
	ReleaseCurrentSubTransaction();
	pop_subxact();
	return JFDW_GUARD_OK;
}

static void
rollback_subxact(int32 depth)
{
	check_subxact_depth(depth);
	RollbackAndReleaseCurrentSubTransaction();
	pop_subxact();
}

/*
 * argv[0]: depth returned by begin.  Rolling back makes the state
 * consistent again, so an error raised inside is no longer pending: Java
 * has read it and owns it now, and its copy is freed (a connector skipping
 * bad values may catch one per row).  Not a query cancel: as PL/pgSQL's
 * EXCEPTION blocks do not, Java cannot swallow it (the interrupt is spent
 * already), so it stays pending, refusing further calls, and ends the
 * statement when the upcall returns.
 */
int32
jfdw_subxact_rollback(Datum *argv)
{
	rollback_subxact(DatumGetInt32(argv[0]));
	if (pending_error != NULL && pending_error->sqlerrcode != ERRCODE_QUERY_CANCELED)
		forget_pending_error();
	return JFDW_GUARD_OK;
}
