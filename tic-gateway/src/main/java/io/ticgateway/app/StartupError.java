package io.ticgateway.app;

import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.util.ObjectHelper;

/**
 * One line for a start that failed in Camel (a route file that does not parse, a route sending to an
 * unknown component, a bean it cannot find): what failed, where, and the innermost reason, on one line
 * instead of a stack trace.
 */
final class StartupError {

    private StartupError() {
    }

    static String oneLine(Throwable failure) {
        FailedToCreateRouteException created = ObjectHelper.getException(FailedToCreateRouteException.class, failure);
        String route = created == null ? null : created.getRouteId();
        String reason = squash(Failures.rootMessage(failure));
        if (route != null) {
            return "route " + route + ": " + reason;
        }
        String top = failure.getMessage() == null ? "" : squash(failure.getMessage());
        return top.isEmpty() || top.contains(reason) ? (top.isEmpty() ? reason : top) : top + ": " + reason;
    }

    /** Newlines and runs of blanks (a YAML parser's pointer lines) become one space. */
    private static String squash(String message) {
        return message.replaceAll("\\s*\\^\\s*", " ").replaceAll("\\s+", " ").trim();
    }
}
