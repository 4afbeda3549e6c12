package io.ticgateway.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two pseudo-terminals joined by socat, standing in for a serial line: the test writes meter bytes into
 * {@link #meterEnd()}, the gateway opens {@link #gatewayEnd()} as its serial port. Killing socat is an
 * unplug; starting a new pair on the same paths is a replug.
 */
public final class PtyPair implements AutoCloseable {

    private final Path meterEnd;
    private final Path gatewayEnd;
    private final Path log;
    private ExternalProcess socat;

    public PtyPair(Path dir) {
        this.meterEnd = dir.resolve("tic-meter");
        this.gatewayEnd = dir.resolve("tic-gateway");
        this.log = dir.resolve("socat.log");
    }

    /** Starts socat and waits for both links. */
    public PtyPair start() throws IOException, InterruptedException {
        Files.deleteIfExists(meterEnd);
        Files.deleteIfExists(gatewayEnd);
        socat = ExternalProcess.start(List.of("socat", "-d", "pty,raw,echo=0,link=" + meterEnd,
                "pty,raw,echo=0,link=" + gatewayEnd), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(Files.exists(meterEnd) && Files.exists(gatewayEnd))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                throw new IOException("socat did not create its ptys, see " + log);
            }
            Thread.sleep(20);
        }
        return this;
    }

    public Path meterEnd() {
        return meterEnd;
    }

    public Path gatewayEnd() {
        return gatewayEnd;
    }

    /** Unplug: kills socat; the links disappear. */
    public void unplug() throws InterruptedException {
        socat.kill();
    }

    /**
     * Writes bytes into the meter end at {@code baudRate} (10 bits per character), as the meter would.
     * The stream is kept open by the caller so the line stays up.
     */
    public static void writePaced(OutputStream out, byte[] bytes, int baudRate) throws IOException, InterruptedException {
        int chunk = Math.max(1, baudRate / 100); // 10 ms of line per write
        long start = System.nanoTime();
        for (int pos = 0; pos < bytes.length; pos += chunk) {
            int n = Math.min(chunk, bytes.length - pos);
            out.write(bytes, pos, n);
            out.flush();
            long due = start + (pos + n) * 10L * 1_000_000_000L / baudRate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (socat != null) {
            socat.close();
        }
    }
}
