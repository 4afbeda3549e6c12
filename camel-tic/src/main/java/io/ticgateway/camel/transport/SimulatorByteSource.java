package io.ticgateway.camel.transport;

import io.ticgateway.simulator.MeterSimulator;
import java.io.IOException;
import java.io.InterruptedIOException;

/** The simulated meter as a byte stream: one frame per read, at the line's speed or as fast as possible. */
public final class SimulatorByteSource implements ByteSource {

    private final MeterSimulator simulator;
    private final Pacer pacer;
    private byte[] pending = new byte[0];
    private int pendingPos;

    /**
     * @param simulator the meter
     * @param realtime  pace the bytes at the simulator's baud rate
     */
    public SimulatorByteSource(MeterSimulator simulator, boolean realtime) {
        this.simulator = simulator;
        this.pacer = realtime ? new Pacer(simulator.baudRate()) : null;
    }

    @Override
    public void open() {
        if (pacer != null) {
            pacer.reset();
        }
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        if (pendingPos >= pending.length) {
            pending = simulator.nextFrame();
            pendingPos = 0;
        }
        int chunk = pacer == null ? buffer.length : Math.max(1, simulator.baudRate() / 40); // ~1/4 s of line
        int n = Math.min(Math.min(chunk, buffer.length), pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, buffer, 0, n);
        pendingPos += n;
        if (pacer != null) {
            try {
                pacer.pace(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("simulator interrupted");
            }
        }
        return n;
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String describe() {
        return "simulator:" + simulator.family().id();
    }
}
