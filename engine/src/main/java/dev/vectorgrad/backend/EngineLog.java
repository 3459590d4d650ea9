package dev.vectorgrad.backend;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The engine's logger ({@code dev.vectorgrad}, java.util.logging). Unless the application configured
 * handlers for it, messages go to stderr as single lines ({@code [vectorgrad] ...}) rather than JUL's
 * default two-line format, so the backend choice reads as one line in a terminal or notebook.
 */
public final class EngineLog {

    private static final Logger LOGGER = create();

    private EngineLog() {
    }

    private static Logger create() {
        Logger logger = Logger.getLogger("dev.vectorgrad");
        if (logger.getHandlers().length == 0) {
            ConsoleHandler handler = new ConsoleHandler();
            handler.setFormatter(new Formatter() {
                @Override
                public String format(LogRecord r) {
                    return "[vectorgrad] " + formatMessage(r) + System.lineSeparator();
                }
            });
            logger.addHandler(handler);
            logger.setUseParentHandlers(false);
        }
        return logger;
    }

    public static void info(String message) {
        LOGGER.log(Level.INFO, message);
    }

    public static void warn(String message) {
        LOGGER.log(Level.WARNING, message);
    }
}
