package io.ticgateway.peers;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real Mosquitto broker on a free loopback port with a temporary config, started and stopped by a test. */
public final class Mosquitto implements AutoCloseable {

    private final Path dir;
    private final int port;
    private ExternalProcess process;

    public Mosquitto(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.port = ExternalProcess.freePort();
    }

    private String tls = "";

    /**
     * A TLS listener with a password file (before {@link #start}): the broker's certificate and key (PEM),
     * the CA that signed them, and {@code user}/{@code password} as the only account.
     */
    public Mosquitto withTls(Path caPem, Path certPem, Path keyPem, String user, String password)
            throws IOException, InterruptedException {
        Path passwords = dir.resolve("passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", passwords.toString(), user, password)
                .redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IOException("mosquitto_passwd: " + new String(p.getInputStream().readAllBytes()));
        }
        // a broker started as root drops to the mosquitto user, which cannot read the test's private folder
        tls = "user " + System.getProperty("user.name") + "\ncafile " + caPem + "\ncertfile " + certPem + "\nkeyfile " + keyPem + "\npassword_file " + passwords
                + "\n";
        return this;
    }

    public Mosquitto start() throws IOException, InterruptedException {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener " + port + " 127.0.0.1\n" + (tls.isEmpty() ? "allow_anonymous true\n"
                : "allow_anonymous false\n" + tls) + "persistence false\n");
        process = ExternalProcess.start(List.of("mosquitto", "-c", conf.toString()), dir.resolve("mosquitto.log"));
        waitForPort(port, process, dir.resolve("mosquitto.log"));
        return this;
    }

    /** True while the broker runs (not stopped by a test). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker (an outage); {@link #start} brings it back on the same port. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static void waitForPort(int port, ExternalProcess process, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(process + " exited, see " + log + ": " + Files.readString(log));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException(process + " did not listen on " + port + ", see " + log);
    }
}
