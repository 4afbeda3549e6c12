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
    // Linux error numbers, as jSerialComm reports them
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int ENXIO = 6;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;
    private static final int EBUSY = 16;
    private static final int ENODEV = 19;
    private static final int EISDIR = 21;
    private static final int EINVAL = 22;
    private static final int ENOTTY = 25;

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
        boolean open = candidate.openPort();
        if (!open && candidate.getLastErrorCode() == EINVAL && sevenBitsEvenParity) {
            // a pseudo-terminal (socat) refuses 7E1 the second time it is set, until 8N1 was set once in between
            resetToEightBits();
            open = candidate.openPort();
        }
        if (!open) {
            int errno = candidate.getLastErrorCode();
            throw new IOException("cannot open serial port " + path + " (" + cause(errno) + "; jSerialComm error "
                    + errno + " at " + candidate.getLastErrorLocation() + ")");
        }
        port = candidate;
    }

    private void resetToEightBits() {
        SerialPort reset = SerialPort.getCommPort(path);
        reset.setComPortParameters(baudRate, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        if (reset.openPort()) {
            reset.closePort();
        }
    }

    /** What the error number jSerialComm reports (the system's {@code errno}) means for a serial port. */
    private static String cause(int errno) {
        return switch (errno) {
            case ENOENT, ENODEV, ENXIO -> "no such device";
            case EACCES, EPERM -> "no permission: is the user in the dialout group?";
            case EAGAIN, EBUSY -> "in use by another program";
            case ENOTTY, EISDIR -> "not a serial device";
            case EINVAL -> "the device refused the line settings; stripParity=true reads it 8N1";
            default -> "missing device, or no permission: is the user in the dialout group?";
        };
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
