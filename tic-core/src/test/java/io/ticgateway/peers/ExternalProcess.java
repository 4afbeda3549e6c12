package io.ticgateway.peers;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real peer process started by a test (socat, ser2net, mosquitto, influxd), killed at the end. */
public final class ExternalProcess implements AutoCloseable {

    private final String name;
    private final Process process;

    private ExternalProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Starts {@code command}, its output going to {@code log}. */
    public static ExternalProcess start(List<String> command, Path log) throws IOException {
        requireOnPath(command.get(0));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ExternalProcess(command.get(0), pb.start());
    }

    /** Fails with the install hint when a peer binary is missing. */
    public static void requireOnPath(String binary) {
        if (binary.contains("/") && Path.of(binary).toFile().canExecute()) {
            return;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Path.of(dir, binary).toFile().canExecute()) {
                return;
            }
        }
        throw new IllegalStateException(binary + " is not installed: run .ci/install-test-peers (or .ci/test)");
    }

    /** A TCP port free on the loopback interface right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process (SIGKILL) and waits for it: an unplug, a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        terminate(5);
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code graceSeconds}; true if it exited. */
    public boolean terminate(long graceSeconds) throws InterruptedException {
        process.destroy();
        if (process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    @Override
    public String toString() {
        return name + " pid " + process.pid();
    }
}
