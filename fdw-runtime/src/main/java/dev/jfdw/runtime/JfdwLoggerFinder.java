package dev.jfdw.runtime;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * System.Logger for code running in the backend (connectors and the
 * libraries they use): records of level INFO and above go to the server log
 * with the logger's name, and an exception's stack trace. Messages meant for
 * the client use
 * {@link dev.jfdw.api.Postgres#log}.
 */
public final class JfdwLoggerFinder extends System.LoggerFinder {
    @Override
    public System.Logger getLogger(String name, Module module) {
        return name.equals(ProcessExit.RUNTIME_LOGGER) ? new RuntimeExitLogger() : new ServerLogLogger(name);
    }

    /** Where the JDK logs Runtime.exit calls, at DEBUG, before it exits: see {@link ProcessExit}. */
    private record RuntimeExitLogger() implements System.Logger {
        @Override
        public String getName() {
            return ProcessExit.RUNTIME_LOGGER;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (level == Level.DEBUG && thrown != null && ProcessExit.isExitCall(thrown)) {
                ProcessExit.requested(thrown);
            } else {
                new ServerLogLogger(getName()).log(level, bundle, msg, thrown);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            new ServerLogLogger(getName()).log(level, bundle, format, params);
        }
    }

    private record ServerLogLogger(String name) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= Level.INFO.getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            if (isLoggable(level)) {
                String trace = "";
                if (thrown != null) {
                    StringWriter w = new StringWriter();
                    thrown.printStackTrace(new PrintWriter(w));
                    trace = "\n" + w.toString().stripTrailing();
                }
                LogStreams.log(level.getName() + " " + name + ": " + msg + trace);
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (isLoggable(level)) {
                String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
                LogStreams.log(level.getName() + " " + name + ": " + msg);
            }
        }
    }
}
