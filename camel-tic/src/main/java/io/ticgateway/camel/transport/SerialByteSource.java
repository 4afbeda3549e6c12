package io.ticgateway.camel.transport;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;

/**
 * A serial port read with jSerialComm: 7E1 by default (7 data bits, even parity, 1 stop bit), or 8N1
 * when bit 7 is stripped in software. Opened by path ({@code getCommPort}, which also opens ptys and
 * resolves {@code /dev/serial/by-id} links), read semi-blocking with a timeout so that a stop is noticed.
 * After an unplug jSerialComm returns -1 but keeps the port "open": the consumer closes it and opens the
 * path again.
 */
public final class SerialByteSource implements ByteSource {

    private static final int READ_TIMEOUT_MILLIS = 500;

    private final String path;
    private final boolean sevenBitsEvenParity;
    private volatile int baudRate;
    private SerialPort port;

    /**
     * @param path                device path
     * @param baudRate            line speed
     * @param sevenBitsEvenParity 7E1 (true, the TIC setting) or 8N1 (false, when parity is stripped in software)
     */
    public SerialByteSource(String path, int baudRate, boolean sevenBitsEvenParity) {
        this.path = path;
        this.baudRate = baudRate;
        this.sevenBitsEvenParity = sevenBitsEvenParity;
    }

    /** Changes the speed used at the next open (baud rate detection). */
    public void setBaudRate(int baudRate) {
        this.baudRate = baudRate;
    }

    public int baudRate() {
        return baudRate;
    }

    @Override
    public void open() throws IOException {
        close();
        SerialPort candidate;
        try {
            candidate = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw new IOException("serial port " + path + " not found: " + e.getMessage(), e);
        }
        if (sevenBitsEvenParity) {
            candidate.setComPortParameters(baudRate, 7, SerialPort.ONE_STOP_BIT, SerialPort.EVEN_PARITY);
        } else {
            candidate.setComPortParameters(baudRate, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        }
        candidate.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        candidate.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MILLIS, 0);
        if (!candidate.openPort()) {
            throw new IOException("cannot open serial port " + path + " (jSerialComm error "
                    + candidate.getLastErrorCode() + " at " + candidate.getLastErrorLocation()
                    + "; missing device, or no permission: is the user in the dialout group?)");
        }
        port = candidate;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        SerialPort p = port;
        if (p == null) {
            return END;
        }
        int n = p.readBytes(buffer, buffer.length);
        if (n < 0) {
            return END;
        }
        return n;
    }

    @Override
    public void close() {
        SerialPort p = port;
        port = null;
        if (p != null) {
            p.closePort();
        }
    }

    @Override
    public String describe() {
        return "serial:" + path;
    }
}
