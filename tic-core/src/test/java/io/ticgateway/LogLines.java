package io.ticgateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The lines one logger writes while this is open, each as {@code "LEVEL message"} (log4j2, the tests' backend). */
public final class LogLines implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final AbstractAppender appender = new AbstractAppender("test-lines", null, null, true, Property.EMPTY_ARRAY) {
        @Override
        public void append(LogEvent event) {
            lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
        }
    };

    public LogLines(String loggerName) {
        logger = (Logger) LogManager.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    public LogLines(Class<?> loggerClass) {
        this(loggerClass.getName());
    }

    /** The lines so far (a live view). */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
