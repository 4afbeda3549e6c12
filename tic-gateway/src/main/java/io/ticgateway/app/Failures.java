package io.ticgateway.app;

/** What went wrong underneath the wrapping layers of an exception. */
public final class Failures {

    private Failures() {
    }

    /** The innermost cause. */
    public static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost cause's message, or its class name when it has none. */
    public static String rootMessage(Throwable failure) {
        Throwable root = root(failure);
        if (root instanceof java.nio.file.FileSystemException) { // its message is a path: say what happened to it
            return root.getClass().getSimpleName() + ": " + root.getMessage();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
