package dev.jfdw.runtime;

import dev.jfdw.api.Postgres;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The actions of {@link Postgres#onCancel}, run from a watcher thread once a
 * cancel or a termination is pending. A call blocked in the kernel sees
 * neither: the backend's signal handlers restart the system call, and a
 * platform thread's socket read ignores {@link Thread#interrupt}. The
 * watcher polls the backend's interrupt flags, plain memory, every 20 ms
 * while an action is registered, and sleeps otherwise; it takes no signal
 * (jvm.c blocks them on every thread the JVM starts).
 */
final class CancelWatch implements Postgres.Registration {
    private static final long POLL_NANOS = 20_000_000L;
    private static final Set<CancelWatch> OPEN = ConcurrentHashMap.newKeySet();
    /** Started with the first registration; backend thread only. */
    private static Thread watcher;

    private final Postgres.CancelAction action;
    /** The depth of the call into Java that registered it, which it ends with. */
    private final int depth;
    private final AtomicBoolean done = new AtomicBoolean();

    private CancelWatch(Postgres.CancelAction action, int depth) {
        this.action = action;
        this.depth = depth;
    }

    static CancelWatch register(Postgres.CancelAction action) {
        Native.checkThread();
        CancelWatch w = new CancelWatch(action, Upcalls.depth());
        OPEN.add(w);
        if (watcher == null) {
            watcher = Native.startThread(Thread.ofPlatform().daemon().name("jfdw cancel watcher"), CancelWatch::watch);
        } else {
            LockSupport.unpark(watcher);
        }
        return w;
    }

    private static void watch() {
        while (true) {
            if (OPEN.isEmpty()) {
                LockSupport.park();
            } else {
                if (Native.cancelPending()) {
                    for (CancelWatch w : OPEN) {
                        w.fire();
                    }
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
    }

    private void fire() {
        if (done.compareAndSet(false, true)) {
            OPEN.remove(this);
            try {
                action.run();
            } catch (Throwable ignored) {
                // the cancel stands either way; nothing here may reach PostgreSQL's log
            }
        }
    }

    @Override
    public void close() {
        if (done.compareAndSet(false, true)) {
            OPEN.remove(this);
        }
    }

    /** Actions registered and not yet closed or run. */
    static int open() {
        return OPEN.size();
    }

    /** A call into Java at {@code depth} returned: what it registered and left open ends with it. */
    static void returned(int depth) {
        if (!OPEN.isEmpty()) {
            for (CancelWatch w : OPEN) {
                if (w.depth >= depth) {
                    w.close();
                }
            }
        }
    }
}
