/*-------------------------------------------------------------------------
 *
 * jvm.c
 *	  Lifecycle of the JVM hosted by a backend.
 *
 * The JVM is created lazily, on the backend's own (primordial) thread, the
 * first time a callback needs Java.  Creating it safely takes care:
 *
 * - libjvm is dlopen'ed from jfdw.libjvm_path; nothing links against it.
 * - User options are first tried in a separate `java -version` process:
 *	 some bad options make HotSpot exit the process during creation, which
 *	 the postmaster would take for a crashed backend.
 * - -Xrs keeps the JVM away from SIGINT/SIGTERM/SIGHUP/SIGQUIT, which are
 *	 Postgres's (query cancel, shutdown, reload).
 * - All signals but the synchronous ones are blocked while the JVM starts,
 *	 so every thread it creates inherits a blocked mask, and a JVMTI hook
 *	 blocks them in threads Java starts later: Postgres's handlers must
 *	 only ever run on the backend thread.
 * - -Xss is the stack rlimit, so HotSpot's guard pages on this thread sit
 *	 below anything max_stack_depth lets Postgres use.
 * - libjava calls setlocale(LC_ALL, ""); the backend's locale is restored.
 *
 * A JVM cannot be created twice in one process: once JNI_CreateJavaVM has
 * been attempted, a failure is final for this backend and is reported on
 * every later use.  Failures before that point (a bad path, a bad option)
 * are ordinary errors that can be fixed and retried in the same session.
 *
 *-------------------------------------------------------------------------
 */
#include "jfdw.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jni.h>
#include <jvmti.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "replication/walsender.h"
#include "storage/fd.h"
#include "tcop/tcopprot.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

extern char **environ;

typedef enum JvmState
{
	JVM_NOT_STARTED,
	JVM_RUNNING,
	JVM_FAILED
} JvmState;

static JvmState jvm_state = JVM_NOT_STARTED;
static char *jvm_failure = NULL;	/* in TopMemoryContext */
static JavaVM *jvm = NULL;

/* The JNI upcall entry, used until Java links the FFM upcall stub. */
static JNIEnv *backend_env = NULL;
static jclass upcalls_class = NULL;
static jmethodID jni_upcall_method = NULL;

/* How long `java -version` may take before we give up on it. */
#define VALIDATION_TIMEOUT_MS 30000

/* Environment variables through which the JVM would read extra options. */
static const char *const java_env_options[] = {
	"JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", NULL
};

static const int locale_categories[] = {
	LC_COLLATE, LC_CTYPE, LC_MESSAGES, LC_MONETARY, LC_NUMERIC, LC_TIME
};
#define NUM_LOCALE_CATEGORIES lengthof(locale_categories)

bool
jfdw_jvm_is_running(void)
{
	return jvm_state == JVM_RUNNING;
}

const char *
jfdw_jvm_status_detail(void)
{
	switch (jvm_state)
	{
		case JVM_NOT_STARTED:
			return "not started";
		case JVM_RUNNING:
			return "running";
		case JVM_FAILED:
			return "failed";
	}
	return "unknown";
}

/* The signals a thread must be able to take synchronously. */
static void
fill_async_signals(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGTRAP);
}

/*
 * JVMTI ThreadStart hook: runs first thing on every thread Java starts after
 * boot, whose mask would otherwise be inherited from the backend thread.
 */
static void JNICALL
block_signals_on_thread_start(jvmtiEnv *jvmti, JNIEnv *env, jthread thread)
{
	sigset_t	set;

	fill_async_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

/*
 * [0] 1: blocks the asynchronous signals on the backend thread; 0: restores
 * the mask the last call saved.  Around Thread.start on the backend thread:
 * the new thread inherits the mask, and would otherwise take PostgreSQL's
 * signals until block_signals_on_thread_start runs on it.
 */
int32
jfdw_thread_start_mask(Datum *argv)
{
	static sigset_t saved;
	sigset_t	set;

	if (DatumGetInt32(argv[0]))
	{
		fill_async_signals(&set);
		pthread_sigmask(SIG_BLOCK, &set, &saved);
	}
	else
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
	return 0;
}

/* The JDK home of a libjvm path: <home>/lib/server/libjvm.so. */
static char *
java_home_of(const char *libjvm)
{
	char	   *home = pstrdup(libjvm);

	for (int i = 0; i < 3; i++)
	{
		char	   *slash = strrchr(home, '/');

		if (slash == NULL || slash == home)
			return NULL;
		*slash = '\0';
	}
	return home;
}

/* The feature version of the JDK at `home` (its release file), 0 if unknown. */
static int
jdk_feature_version(const char *home)
{
	FILE	   *f;
	char		line[256];
	int			version = 0;

	if (home == NULL || (f = AllocateFile(psprintf("%s/release", home), "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f))
	{
		if (sscanf(line, "JAVA_VERSION=\"%d", &version) == 1)
			break;
	}
	FreeFile(f);
	return version;
}

static size_t
java_stack_size(void)
{
	struct rlimit rlim;

	/*
	 * Postgres never lets max_stack_depth come within 512kB of the rlimit; an
	 * unlimited stack gets a generous fixed size instead.
	 */
	if (getrlimit(RLIMIT_STACK, &rlim) == 0 && rlim.rlim_cur != RLIM_INFINITY)
		return rlim.rlim_cur;
	return (size_t) 64 * 1024 * 1024;
}

/*
 * Does jfdw.jvm_options contain an option starting with `prefix` (and, if
 * given, ending with `suffix`)?  Our defaults for heap size and collector
 * step aside for the user's own.
 */
static bool
user_sets(const char *prefix, const char *suffix)
{
	char	   *copy = pstrdup(jfdw_jvm_options ? jfdw_jvm_options : "");
	char	   *opt;
	char	   *save = NULL;
	bool		found = false;

	for (opt = strtok_r(copy, " \t\n", &save); opt && !found; opt = strtok_r(NULL, " \t\n", &save))
	{
		size_t		len = strlen(opt);

		found = strncmp(opt, prefix, strlen(prefix)) == 0 &&
			(suffix == NULL || (len >= strlen(suffix) && strcmp(opt + len - strlen(suffix), suffix) == 0));
	}
	pfree(copy);
	return found;
}

/*
 * The complete option list, ours first so that an option a user may set
 * (heap size, GC, ...) overrides the default.  `jdk` is the libjvm's JDK
 * feature version, 0 if unknown.
 */
static List *
build_jvm_options(const char *libjvm, int jdk)
{
	List	   *opts = NIL;
	char	   *copy;
	char	   *opt;
	char	   *save = NULL;
	char	   *aot_cache = psprintf("%s/jfdw.aot", jfdw_share_path);
	bool		own_gc = user_sets("-XX:+Use", "GC");

	opts = lappend(opts, psprintf("-Djava.class.path=%s/jfdw-api.jar:%s/jfdw-runtime.jar",
								  jfdw_share_path, jfdw_share_path));
	opts = lappend(opts, "-Xrs");
	opts = lappend(opts, psprintf("-Xss%zuk", java_stack_size() / 1024));
	/*
	 * A small heap and the smallest collector, unless the user chose: any
	 * heap size of theirs replaces both of ours (-Xms128m with our -Xmx64m
	 * would not start).
	 */
	if (!own_gc)
		opts = lappend(opts, "-XX:+UseSerialGC");
	if (!user_sets("-Xms", NULL) && !user_sets("-Xmx", NULL) &&
		!user_sets("-XX:InitialHeapSize", NULL) && !user_sets("-XX:MaxHeapSize", NULL))
	{
		opts = lappend(opts, "-Xms8m");
		opts = lappend(opts, "-Xmx64m");
	}
	opts = lappend(opts, "-XX:-UsePerfData");

	/*
	 * Compile later.  A backend's first query interprets the JVM's cold
	 * start-up code (method handles spun, connector JARs opened), and on a
	 * small machine the compiler threads compiling it took the CPU from the
	 * query: 117 ms against 133 with the default thresholds (medians of 10
	 * interleaved new sessions, 2 cores).  Row loops are hot enough to be
	 * compiled in their first query anyway.
	 */
	opts = lappend(opts, "-XX:CompileThresholdScaling=5");

	/*
	 * Map the JDK's class archive at its fixed base: relocated to a random
	 * address (the default since JDK 20) every page with a pointer is dirtied,
	 * ~7 MB more private memory per backend.  Backends forked from one
	 * postmaster share their address space layout anyway.  Diagnostic flags
	 * are locked again after it: several abort the process by design.
	 */
	opts = lappend(opts, "-XX:+UnlockDiagnosticVMOptions");
	opts = lappend(opts, "-XX:ArchiveRelocationMode=0");
	opts = lappend(opts, "-XX:-UnlockDiagnosticVMOptions");

	if (jdk >= 25)
	{
		/* give back to the OS what C2 compilation left in malloc's arenas */
		opts = lappend(opts, "-XX:TrimNativeHeapInterval=2000");

		/*
		 * The AOT cache `jfdw install` trained (classes loaded and linked,
		 * method profiles): it halves a backend's first query.  It only fits
		 * the JDK and collector it was made with.
		 */
		if (!own_gc && strcmp(libjvm, JFDW_DEFAULT_LIBJVM) == 0 && access(aot_cache, R_OK) == 0)
			opts = lappend(opts, psprintf("-XX:AOTCache=%s", aot_cache));
	}
	opts = lappend(opts, "-XX:+DisableAttachMechanism");
	opts = lappend(opts, psprintf("-XX:ErrorFile=%s/pg_jfdw/hs_err_pid%%p.log", DataDir));
	opts = lappend(opts, "--enable-native-access=ALL-UNNAMED");

	/*
	 * What libraries that connectors bring need and cannot get once the JVM
	 * runs: Arrow's memory module reads java.nio.Buffer's address field and
	 * allocates with sun.misc.Unsafe (which JDK 24+ warns about on stderr).
	 */
	opts = lappend(opts, "--add-opens=java.base/java.nio=ALL-UNNAMED");
	if (jdk >= 23)
		opts = lappend(opts, "--sun-misc-unsafe-memory-access=allow");
	opts = lappend(opts, "-Xlog:disable");
	opts = lappend(opts, "-Xlog:all=warning:stderr");
	opts = lappend(opts, "-Djava.awt.headless=true");

	copy = pstrdup(jfdw_jvm_options ? jfdw_jvm_options : "");
	for (opt = strtok_r(copy, " \t\n", &save); opt; opt = strtok_r(NULL, " \t\n", &save))
		opts = lappend(opts, opt);
	return opts;
}

/*
 * The JVM and its options, as validated: the library's identity too, so that
 * a JDK upgraded in place is asked again (an option it refuses would end the
 * backend inside JNI_CreateJavaVM).
 */
static char *
options_key(const char *libjvm, List *opts)
{
	StringInfoData key;
	ListCell   *lc;
	struct stat st;

	initStringInfo(&key);
	appendStringInfoString(&key, libjvm);
	if (stat(libjvm, &st) == 0)
		appendStringInfo(&key, " [%lu:%lu:%lld:%lld]", (unsigned long) st.st_dev,
						 (unsigned long) st.st_ino, (long long) st.st_size,
						 (long long) st.st_mtime);
	foreach(lc, opts)
		appendStringInfo(&key, " %s", (char *) lfirst(lc));
	return key.data;
}

static char *
validated_options_file(void)
{
	return psprintf("%s/pg_jfdw/validated_jvm_options", DataDir);
}

/* Has `key` passed validation before, in any backend of this cluster? */
static bool
options_validated_before(const char *key)
{
	FILE	   *f = AllocateFile(validated_options_file(), "r");
	StringInfoData line;
	bool		found = false;
	int			c;

	if (f == NULL)
		return false;
	initStringInfo(&line);
	while (!found && (c = fgetc(f)) != EOF)
	{
		if (c != '\n')
		{
			appendStringInfoChar(&line, (char) c);
			continue;
		}
		found = strcmp(line.data, key) == 0;
		resetStringInfo(&line);
	}
	FreeFile(f);
	return found;
}

static void
remember_validated_options(const char *key)
{
	char	   *path = validated_options_file();
	char	   *tmp = psprintf("%s.%d", path, MyProcPid);
	FILE	   *in;
	FILE	   *out;
	int			c;

	out = AllocateFile(tmp, "w");
	if (out == NULL)
		return;					/* only a cache */
	in = AllocateFile(path, "r");
	if (in != NULL)
	{
		while ((c = fgetc(in)) != EOF)
			fputc(c, out);
		FreeFile(in);
	}
	fprintf(out, "%s\n", key);
	if (FreeFile(out) != 0 || rename(tmp, path) != 0)
		unlink(tmp);
}

/*
 * Start `java <options> -version` and report whether it succeeded; on
 * failure *output holds what it printed.
 */
static bool
try_options_in_child(const char *java, List *opts, char **output)
{
	char	  **argv;
	int			argc = 0;
	int			pipefd[2];
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t	empty;
	sigset_t	all;
	pid_t		pid;
	int			status = 0;
	StringInfoData out;
	ListCell   *lc;
	char	  **envp;
	int			nenv = 0;
	TimestampTz deadline;

	argv = palloc(sizeof(char *) * (list_length(opts) + 3));
	argv[argc++] = (char *) java;
	foreach(lc, opts)
		argv[argc++] = lfirst(lc);
	argv[argc++] = "-version";
	argv[argc] = NULL;

	/* the child's environment, without the variables that inject options */
	for (char **e = environ; *e; e++)
		nenv++;
	envp = palloc(sizeof(char *) * (nenv + 1));
	nenv = 0;
	for (char **e = environ; *e; e++)
	{
		bool		skip = false;

		for (const char *const *v = java_env_options; *v; v++)
			if (strncmp(*e, *v, strlen(*v)) == 0 && (*e)[strlen(*v)] == '=')
				skip = true;
		if (!skip)
			envp[nenv++] = *e;
	}
	envp[nenv] = NULL;

	if (pipe(pipefd) != 0)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not create pipe to check JVM options: %m")));

	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&actions, pipefd[0]);
	posix_spawnattr_init(&attr);
	sigemptyset(&empty);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &empty);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

	status = posix_spawn(&pid, java, &actions, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	close(pipefd[1]);
	if (status != 0)
	{
		close(pipefd[0]);
		errno = status;
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not run \"%s\" to check jfdw.jvm_options: %m", java),
				 errhint("jfdw.libjvm_path must point into a full JDK, which has bin/java.")));
	}

	initStringInfo(&out);
	deadline = GetCurrentTimestamp() + (TimestampTz) VALIDATION_TIMEOUT_MS * 1000;

	/* a cancel ends the wait, and the child with it */
	PG_TRY();
	{
		for (;;)
		{
			char		buf[1024];
			struct pollfd pfd = {.fd = pipefd[0],.events = POLLIN};
			int			left = (int) ((deadline - GetCurrentTimestamp()) / 1000);
			ssize_t		n;

			CHECK_FOR_INTERRUPTS();
			if (left <= 0)
			{
				kill(pid, SIGKILL);
				appendStringInfoString(&out, "\n(timed out)");
				break;
			}
			n = poll(&pfd, 1, Min(left, 100));
			if (n < 0 && errno != EINTR)
				break;
			if (n <= 0)
				continue;
			n = read(pipefd[0], buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (out.len < 8192)
				appendBinaryStringInfo(&out, buf, n);
		}
	}
	PG_CATCH();
	{
		kill(pid, SIGKILL);
		close(pipefd[0]);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		PG_RE_THROW();
	}
	PG_END_TRY();
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
	{
		if (errno != EINTR)
		{
			status = -1;
			break;
		}
	}
	*output = out.data;
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void
validate_user_options(const char *libjvm, List *opts)
{
	char	   *home;
	char	   *java;
	char	   *key;
	char	   *output;

	if (jfdw_jvm_options == NULL || jfdw_jvm_options[0] == '\0')
		return;					/* our own defaults are known to be good */

	key = options_key(libjvm, opts);
	if (options_validated_before(key))
		return;

	home = java_home_of(libjvm);
	java = home ? psprintf("%s/bin/java", home) : NULL;
	if (java == NULL || access(java, X_OK) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("cannot check jfdw.jvm_options: no java launcher next to \"%s\"", libjvm),
				 errhint("jfdw.libjvm_path must point into a full JDK, which has bin/java.")));

	/*
	 * The options may hold secrets (-D...=password), which is why only
	 * superusers read them; the error reaches whoever started the JVM.
	 */
	if (!try_options_in_child(java, opts, &output))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid jfdw.jvm_options: a JVM does not start with them"),
				 superuser() ?
				 errdetail("The options are \"%s\"; java said: %s", jfdw_jvm_options, output) :
				 errdetail_log("The options are \"%s\"; java said: %s", jfdw_jvm_options, output),
				 errhint("Fix jfdw.jvm_options; this session can retry.")));
	remember_validated_options(key);
}

/* The message of a pending Java exception, for the boot error report. */
static char *
describe_exception(JNIEnv *env)
{
	jthrowable	exc = (*env)->ExceptionOccurred(env);
	jclass		cls;
	jmethodID	to_string;
	jstring		str;
	const char *chars;
	char	   *result = "unknown Java exception";

	(*env)->ExceptionClear(env);
	if (exc == NULL)
		return result;
	cls = (*env)->FindClass(env, "java/lang/Throwable");
	to_string = cls ? (*env)->GetMethodID(env, cls, "toString", "()Ljava/lang/String;") : NULL;
	str = to_string ? (*env)->CallObjectMethod(env, exc, to_string) : NULL;
	if (str != NULL && (chars = (*env)->GetStringUTFChars(env, str, NULL)) != NULL)
	{
		result = pstrdup(chars);
		(*env)->ReleaseStringUTFChars(env, str, chars);
	}
	(*env)->ExceptionClear(env);
	/* no Java frame below us frees local references: an upcall may fail often */
	if (str != NULL)
		(*env)->DeleteLocalRef(env, str);
	if (cls != NULL)
		(*env)->DeleteLocalRef(env, cls);
	(*env)->DeleteLocalRef(env, exc);
	return result;
}

/*
 * Upcalls start out through JNI: a JNI call needs nothing linked, where the
 * FFM upcall stub costs 20-30 ms to link, which would be every backend's
 * first query's.  Java swaps in the stub (jfdw_bridge.upcall) once this
 * backend has made enough upcalls for the stub's cheaper transitions to pay
 * for its linking (Upcalls.jniUpcall).  Java catches every Throwable; what
 * can still arrive here is an error raised on the way in (a
 * StackOverflowError at the entry), reported like any Java error.
 */
static int64
jni_upcall(int32 op, Datum *argv)
{
	jlong		rc;

	rc = (*backend_env)->CallStaticLongMethod(backend_env, upcalls_class, jni_upcall_method,
											  (jint) op, (jlong) (uintptr_t) argv);
	if ((*backend_env)->ExceptionCheck(backend_env))
	{
		strlcpy(jfdw_java_error.sqlstate, "XX000", sizeof(jfdw_java_error.sqlstate));
		strlcpy(jfdw_java_error.message, describe_exception(backend_env),
				sizeof(jfdw_java_error.message));
		return JFDW_STATUS_JAVA_ERROR;
	}
	return rc;
}

/*
 * Java's one way into the glue: Native.entry(entry, fn, argv) calls
 * entry(fn, argv), where entry is jfdw_guard or jfdw_direct.  A JNI native
 * method rather than an FFM downcall handle: it costs the same per call, but
 * nothing to link, where the first FFM downcall handle costs tens of
 * milliseconds of every backend's first query (its stub is generated at run
 * time and cannot be cached ahead of time).
 */
static jint JNICALL
native_entry(JNIEnv *env, jclass cls, jlong entry, jlong fn, jlong argv)
{
	return ((int32 (*) (JfdwDowncall, Datum *)) (uintptr_t) entry) ((JfdwDowncall) (uintptr_t) fn,
																  (Datum *) (uintptr_t) argv);
}

/*
 * The names of a table whose entries start with `const char *name`, each
 * followed by '\n', in TopMemoryContext: how the bridge hands them to Java.
 */
static const char *
names_blob(const void *table, size_t stride, int n, int64 *len)
{
	MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
	StringInfoData names;

	initStringInfo(&names);
	for (int i = 0; i < n; i++)
		appendStringInfo(&names, "%s\n", *(const char *const *) ((const char *) table + i * stride));
	MemoryContextSwitchTo(old);
	*len = names.len;
	return names.data;
}

/*
 * Everything after JNI_CreateJavaVM: returns NULL on success, else a message
 * saying what went wrong.  Runs with signals blocked.
 */
static char *
boot_runtime(JNIEnv *env)
{
	jvmtiEnv   *jvmti = NULL;
	jvmtiEventCallbacks callbacks;
	jclass		boot;
	jmethodID	method;
	jint		rc;

	if ((*jvm)->GetEnv(jvm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK)
		return "could not get a JVMTI environment";
	memset(&callbacks, 0, sizeof(callbacks));
	callbacks.ThreadStart = block_signals_on_thread_start;
	if ((*jvmti)->SetEventCallbacks(jvmti, &callbacks, sizeof(callbacks)) != JVMTI_ERROR_NONE ||
		(*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE,
										   JVMTI_EVENT_THREAD_START, NULL) != JVMTI_ERROR_NONE)
		return "could not install the JVMTI thread-start hook";

	{
		int64	   *values = MemoryContextAlloc(TopMemoryContext, sizeof(int64) * jfdw_noffsets);
		void	  **addresses = MemoryContextAlloc(TopMemoryContext, sizeof(void *) * jfdw_nsymbols);

		for (int i = 0; i < jfdw_noffsets; i++)
			values[i] = jfdw_offsets[i].value;
		for (int i = 0; i < jfdw_nsymbols; i++)
			addresses[i] = jfdw_symbols[i].address;
		jfdw_bridge.noffsets = jfdw_noffsets;
		jfdw_bridge.offset_names = names_blob(jfdw_offsets, sizeof(JfdwOffset), jfdw_noffsets,
											  &jfdw_bridge.offset_names_len);
		jfdw_bridge.offset_values = values;
		jfdw_bridge.nsymbols = jfdw_nsymbols;
		jfdw_bridge.symbol_names = names_blob(jfdw_symbols, sizeof(JfdwSymbol), jfdw_nsymbols,
											  &jfdw_bridge.symbol_names_len);
		jfdw_bridge.symbol_addresses = addresses;
	}
	jfdw_bridge.version = JFDW_BRIDGE_VERSION;
	jfdw_bridge.upcall = jni_upcall;

	{
		JNINativeMethod entry = {"entry", "(JJJ)I", (void *) native_entry};
		jclass		native = (*env)->FindClass(env, "dev/jfdw/runtime/Native");

		if (native == NULL || (*env)->RegisterNatives(env, native, &entry, 1) != JNI_OK)
			return psprintf("could not register the jfdw runtime's native entry: %s",
							describe_exception(env));
	}

	{
		jclass		upcalls = (*env)->FindClass(env, "dev/jfdw/runtime/Upcalls");

		if (upcalls != NULL)
			jni_upcall_method = (*env)->GetStaticMethodID(env, upcalls, "jniUpcall", "(IJ)J");
		if (jni_upcall_method == NULL ||
			(upcalls_class = (*env)->NewGlobalRef(env, upcalls)) == NULL)
			return psprintf("could not find the jfdw runtime's upcall entry: %s",
							describe_exception(env));
		(*env)->DeleteLocalRef(env, upcalls);
		backend_env = env;
	}

	boot = (*env)->FindClass(env, "dev/jfdw/runtime/Bootstrap");
	if (boot == NULL)
		return psprintf("could not load the jfdw runtime from %s: %s",
						jfdw_share_path, describe_exception(env));
	method = (*env)->GetStaticMethodID(env, boot, "boot", "(J)I");
	if (method == NULL)
		return psprintf("jfdw runtime has no Bootstrap.boot(long): %s",
						describe_exception(env));
	rc = (*env)->CallStaticIntMethod(env, boot, method, (jlong) (uintptr_t) &jfdw_bridge);
	if ((*env)->ExceptionCheck(env))
		return psprintf("jfdw runtime failed to boot: %s", describe_exception(env));
	if (rc != 0)
		return psprintf("jfdw runtime failed to boot (status %d); see the server log", rc);
	return NULL;
}

static void
start_jvm(void)
{
	const char *libjvm = jfdw_libjvm_path;
	List	   *opts;
	JavaVMOption *jopts;
	JavaVMInitArgs args;
	void	   *handle;
	jint		(*create_vm) (JavaVM **, void **, void *);
	JNIEnv	   *env = NULL;
	sigset_t	blocked;
	sigset_t	saved_mask;
	char	   *saved_locale[NUM_LOCALE_CATEGORIES];
	char	   *volatile failure = NULL;
	int			i;
	int			jdk;
	ListCell   *lc;
	MemoryContext cxt;
	MemoryContext oldcxt;

	if (!IsUnderPostmaster && IsPostmasterEnvironment)
		elog(ERROR, "jfdw cannot start a JVM in the postmaster");
	if (libjvm == NULL || libjvm[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("jfdw.libjvm_path is not set"),
				 errhint("Set it to lib/server/libjvm.so of a JDK 22 or newer.")));
	if (access(libjvm, R_OK) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not access libjvm \"%s\": %m", libjvm),
				 errhint("Set jfdw.libjvm_path to lib/server/libjvm.so of a JDK 22 or newer.")));

	cxt = AllocSetContextCreate(CurrentMemoryContext, "jfdw JVM start",
								ALLOCSET_DEFAULT_SIZES);
	oldcxt = MemoryContextSwitchTo(cxt);

	/* an older JDK would only fail inside the JVM, taking the session with it */
	jdk = jdk_feature_version(java_home_of(libjvm));
	if (jdk > 0 && jdk < 22)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("\"%s\" is the libjvm of JDK %d, and jfdw needs JDK 22 or newer", libjvm, jdk),
				 errhint("Set jfdw.libjvm_path to lib/server/libjvm.so of a JDK 22 or newer.")));

	/* only an unlimited stack rlimit lets max_stack_depth reach past -Xss */
	if ((Size) max_stack_depth * 1024 + 512 * 1024 > java_stack_size())
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("jfdw cannot start a JVM with max_stack_depth at %dkB", max_stack_depth),
				 errdetail("The stack size limit is unlimited, so jfdw gives Java threads %zukB, and "
						   "PostgreSQL's recursion would run into the JVM's guard pages.",
						   java_stack_size() / 1024),
				 errhint("Lower max_stack_depth, or set a stack size limit (ulimit -s).")));

	(void) MakePGDirectory(psprintf("%s/pg_jfdw", DataDir));
	opts = build_jvm_options(libjvm, jdk);
	validate_user_options(libjvm, opts);

	handle = dlopen(libjvm, RTLD_NOW | RTLD_GLOBAL);
	if (handle == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("could not load libjvm \"%s\": %s", libjvm, dlerror()),
				 errhint("Set jfdw.libjvm_path to lib/server/libjvm.so of a JDK 22 or newer.")));
	create_vm = (jint (*) (JavaVM **, void **, void *)) dlsym(handle, "JNI_CreateJavaVM");
	if (create_vm == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CONFIG_FILE_ERROR),
				 errmsg("\"%s\" is not a libjvm: it has no JNI_CreateJavaVM", libjvm)));

	for (const char *const *v = java_env_options; *v; v++)
	{
		if (getenv(*v) != NULL)
		{
			ereport(WARNING,
					(errmsg("jfdw ignores environment variable %s", *v),
					 errhint("Use jfdw.jvm_options.")));
			unsetenv(*v);
		}
	}

	jopts = palloc0(sizeof(JavaVMOption) * list_length(opts));
	i = 0;
	foreach(lc, opts)
		jopts[i++].optionString = lfirst(lc);
	args.version = JNI_VERSION_10;
	args.nOptions = list_length(opts);
	args.options = jopts;
	args.ignoreUnrecognized = JNI_FALSE;

	for (i = 0; i < (int) NUM_LOCALE_CATEGORIES; i++)
	{
		const char *cur = setlocale(locale_categories[i], NULL);

		saved_locale[i] = cur ? pstrdup(cur) : NULL;
	}
	fill_async_signals(&blocked);
	pthread_sigmask(SIG_BLOCK, &blocked, &saved_mask);

	/* From here on a failure is final for this backend. */
	jvm_state = JVM_FAILED;
	PG_TRY();
	{
		jint		rc = create_vm(&jvm, (void **) &env, &args);

		if (rc != JNI_OK)
			failure = psprintf("JNI_CreateJavaVM failed with code %d; see the server log", (int) rc);
		else
			failure = boot_runtime(env);
	}
	PG_FINALLY();
	{
		/* even after an ERROR (out of memory): a backend with signals blocked cannot be cancelled */
		pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
		for (int c = 0; c < (int) NUM_LOCALE_CATEGORIES; c++)
			if (saved_locale[c] != NULL)
				setlocale(locale_categories[c], saved_locale[c]);
	}
	PG_END_TRY();

	if (failure != NULL)
	{
		jvm_failure = MemoryContextStrdup(TopMemoryContext, failure);
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("could not start the JVM for jfdw: %s", jvm_failure),
				 errhint("Fix the cause and start a new session: a JVM cannot be created twice in one process.")));
	}
	jvm_state = JVM_RUNNING;
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(cxt);
}

void
jfdw_jvm_ensure_started(void)
{
	if (likely(jvm_state == JVM_RUNNING))
		return;
	if (jvm_state == JVM_FAILED)
		ereport(ERROR,
				(errcode(ERRCODE_SYSTEM_ERROR),
				 errmsg("the JVM of this session failed to start earlier"),
				 errdetail("%s", jvm_failure ? jvm_failure : "unknown cause"),
				 errhint("Start a new session: a JVM cannot be created twice in one process.")));
	/* HotSpot's own SIGUSR2 handler would replace the WAL sender's */
	if (am_walsender)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("jfdw cannot start a JVM in a WAL sender process")));
	start_jvm();
}
