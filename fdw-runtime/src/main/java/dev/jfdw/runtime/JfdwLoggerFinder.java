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
        return new ServerLogLogger(name);
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
