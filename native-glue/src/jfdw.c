/*-------------------------------------------------------------------------
 *
 * jfdw.c
 *	  Module entry point: configuration parameters and SQL-callable
 *	  functions of the jfdw extension.
 *
 * Loading this library does not start a JVM; the first callback that needs
 * Java does (jvm.c).
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include <sys/stat.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

#ifndef JFDW_DEFAULT_LIBJVM
#define JFDW_DEFAULT_LIBJVM ""
#endif

char	   *jfdw_libjvm_path = NULL;
char	   *jfdw_connector_path = NULL;
char	   *jfdw_jvm_options = NULL;
char	   *jfdw_share_path = NULL;

void		_PG_init(void);

static bool
check_libjvm_path(char **newval, void **extra, GucSource source)
{
	struct stat st;

	if (*newval == NULL || (*newval)[0] == '\0')
		return true;			/* reported when a JVM is needed */
	if (!is_absolute_path(*newval))
	{
		GUC_check_errdetail("jfdw.libjvm_path must be an absolute path.");
		return false;
	}
	/*
	 * The built-in default names the JDK of the build machine, which may be
	 * gone; refusing it here would make loading the library FATAL, whatever
	 * the configuration says.  Starting a JVM reports a missing file.
	 */
	if (source != PGC_S_DEFAULT &&
		(stat(*newval, &st) != 0 || !S_ISREG(st.st_mode)))
	{
		GUC_check_errdetail("File \"%s\" does not exist or is not a regular file.",
							*newval);
		GUC_check_errhint("Point it at lib/server/libjvm.so of a JDK 22 or newer.");
		return false;
	}
	return true;
}

static bool
check_connector_path(char **newval, void **extra, GucSource source)
{
	char	   *copy;
	char	   *dir;
	char	   *save = NULL;

	if (*newval == NULL)
		return true;
	copy = pstrdup(*newval);
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
	{
		if (!is_absolute_path(dir))
		{
			GUC_check_errdetail("Connector directory \"%s\" is not an absolute path.", dir);
			pfree(copy);
			return false;
		}
	}
	pfree(copy);
	return true;
}

/*
 * Options jfdw sets itself and a user must not override: the class path,
 * the thread stack size (it decides where HotSpot puts its guard pages on
 * the backend's stack), -Xrs (PostgreSQL's signals), options that end the
 * process on an error, and the ways around this check (flag files).
 * Diagnostic flags stay locked: several abort the process by design.
 */
static const char *const reserved_jvm_options[] = {
	"-Djava.class.path=", "-cp", "-classpath", "--class-path",
	"-Xss", "-Xcheck:jni", NULL
};

/* -XX: flags by name, whatever follows it (+, -, =value) */
static const char *const reserved_xx_flags[] = {
	"ThreadStackSize", "ReduceSignalUsage", "UseSignalChaining",
	"ExitOnOutOfMemoryError", "CrashOnOutOfMemoryError",
	"OnOutOfMemoryError", "OnError", "AbortVMOn", "ShowMessageBoxOnError",
	"UnlockDiagnosticVMOptions", "Flags", "VMOptionsFile",
	/* PostgreSQL's SIGFPE handler would run on Java's frames */
	"AllowUserSignalHandlers",
	/* the guard pages on the backend's stack */
	"StackYellowPages", "StackRedPages", "StackShadowPages", "StackReservedPages", NULL
};

static bool
reserved_jvm_option(const char *opt)
{
	for (const char *const *r = reserved_jvm_options; *r; r++)
		if (strncmp(opt, *r, strlen(*r)) == 0)
			return true;
	if (strncmp(opt, "-XX:", 4) != 0)
		return false;
	opt += 4;
	if (*opt == '+' || *opt == '-')
		opt++;
	for (const char *const *r = reserved_xx_flags; *r; r++)
		if (strncmp(opt, *r, strlen(*r)) == 0)
			return true;
	return false;
}

static bool
check_jvm_options(char **newval, void **extra, GucSource source)
{
	char	   *copy;
	char	   *opt;
	char	   *save = NULL;

	if (*newval == NULL)
		return true;
	copy = pstrdup(*newval);
	for (opt = strtok_r(copy, " \t\n", &save); opt; opt = strtok_r(NULL, " \t\n", &save))
	{
		if (opt[0] != '-')
		{
			GUC_check_errdetail("JVM option \"%s\" does not start with \"-\".", opt);
			GUC_check_errhint("Separate options with spaces; values cannot contain spaces.");
			pfree(copy);
			return false;
		}
		if (reserved_jvm_option(opt))
		{
			GUC_check_errdetail("JVM option \"%s\" is set by jfdw and cannot be changed.", opt);
			pfree(copy);
			return false;
		}
	}
	pfree(copy);
	return true;
}

void
_PG_init(void)
{
	char		share[MAXPGPATH];

	get_share_path(my_exec_path, share);
	jfdw_share_path = MemoryContextStrdup(TopMemoryContext,
										  psprintf("%s/jfdw", share));

	DefineCustomStringVariable("jfdw.libjvm_path",
							   "Path of the libjvm.so that jfdw loads into backends.",
							   "Takes effect in backends that have not started a JVM yet.",
							   &jfdw_libjvm_path,
							   JFDW_DEFAULT_LIBJVM,
							   PGC_SUSET,
							   0,
							   check_libjvm_path, NULL, NULL);

	DefineCustomStringVariable("jfdw.connector_path",
							   "Colon-separated directories holding connector JARs.",
							   "Each JAR, or each subdirectory of JARs, is one class loader.",
							   &jfdw_connector_path,
							   MemoryContextStrdup(TopMemoryContext,
												   psprintf("%s/connectors", jfdw_share_path)),
							   PGC_SUSET,
							   0,
							   check_connector_path, NULL, NULL);

	DefineCustomStringVariable("jfdw.jvm_options",
							   "Extra JVM options, separated by spaces.",
							   "Checked by starting a separate java process before a backend uses them.",
							   &jfdw_jvm_options,
							   "",
							   PGC_SUSET,
							   GUC_SUPERUSER_ONLY,	/* -D may carry a password */
							   check_jvm_options, NULL, NULL);

	MarkGUCPrefixReserved("jfdw");
	jfdw_bridge_init();
}

/*
 * jfdw.options_json(connector) returns the options a connector declares, as
 * a JSON array; jfdw.options(connector) makes it a table.
 */
PG_FUNCTION_INFO_V1(jfdw_options);
Datum
jfdw_options(PG_FUNCTION_ARGS)
{
	Datum		argv[1];

	argv[0] = CStringGetDatum(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	jfdw_upcall(JFDW_OP_OPTIONS, argv);
	PG_RETURN_TEXT_P((text *) DatumGetPointer(argv[0]));
}

/*
 * jfdw.status() returns a JSON object describing this backend's JVM.  It
 * never starts one.
 */
PG_FUNCTION_INFO_V1(jfdw_status);
Datum
jfdw_status(PG_FUNCTION_ARGS)
{
	Datum		argv[1] = {0};

	if (!jfdw_jvm_is_running())
	{
		const char *detail = jfdw_jvm_status_detail();

		PG_RETURN_TEXT_P(cstring_to_text(psprintf("{\"jvm\": \"%s\"}", detail)));
	}
	jfdw_upcall(JFDW_OP_STATUS, argv);
	PG_RETURN_TEXT_P((text *) DatumGetPointer(argv[0]));
}
