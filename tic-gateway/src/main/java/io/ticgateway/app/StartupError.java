package io.ticgateway.app;

import org.apache.camel.FailedToCreateRouteException;

/**
 * One line for a start that failed in Camel (a route file that does not parse, a route sending to an
 * unknown component, a bean it cannot find): what failed, where, and the innermost reason, on one line
 * instead of a stack trace.
 */
final class StartupError {

    private StartupError() {
    }

    static String oneLine(Throwable failure) {
        Throwable root = failure;
        String route = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof FailedToCreateRouteException created && route == null) {
                route = created.getRouteId();
            }
            root = t;
            if (t.getCause() == t) {
                break;
            }
        }
        String reason = squash(root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName());
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
