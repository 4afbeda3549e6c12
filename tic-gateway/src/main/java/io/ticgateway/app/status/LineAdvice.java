package io.ticgateway.app.status;

import io.ticgateway.camel.transport.BaudRateDetector;
import java.util.stream.Collectors;

/**
 * What to check for each finding, by the source's transport: a serial port (the adapter, its device path and
 * speed), a TCP bridge (ser2net: its address, its own serial settings), a replayed capture (how it was
 * recorded), a simulated meter.
 */
final class LineAdvice {

    private static final String SPEEDS = BaudRateDetector.RATES.stream().map(String::valueOf)
            .collect(Collectors.joining(", ")) + " Bd";
    private static final String MODE_SPEEDS = "a historic meter sends at 1200 Bd, a Linky in standard mode at 9600 Bd"
            + " (a supplier switching the mode changes the speed)";

    private LineAdvice() {
    }

    /** The source is not open: why, and what to check. */
    static String cannotOpen(LineState line) {
        String error = line.lastError();
        return switch (line.transport()) {
            case serial -> (error == null ? "The serial port is not open yet." : "The serial port cannot be opened: "
                    + error + ".") + " Check the device path (ls -l /dev/serial/by-id/), that the adapter is plugged in"
                    + " and that the gateway's user may read it (group dialout).";
            case tcp -> error != null && error.contains(" closed after ") // reached: it said why, or nothing
                    ? "The TCP bridge takes the connection and closes it: " + error + ". Check that no other client"
                    + " holds the bridge's port (ser2net serves one at a time) and that the bridge can open its serial"
                    + " device."
                    : (error == null ? "Not connected to the TCP bridge yet." : "The TCP bridge cannot be reached: "
                    + error + ".") + " Check the host and port in the source, that the bridge (ser2net or the like)"
                    + " runs and listens there, and that no firewall is in between.";
            case file -> (error == null ? "The capture is not open yet." : "The capture cannot be read: " + error + ".")
                    + " Check the file's path and that the gateway's user may read it.";
            case simulator -> error == null ? "The simulated meter has not started yet."
                    : "The simulated meter cannot run: " + error + ".";
        };
    }

    /** Nothing arrives on an open source. */
    static String noBytes(LineState line) {
        return switch (line.transport()) {
            case serial -> "Check the wiring (the meter's TIC terminals I1 and I2 to the adapter), that the adapter is"
                    + " powered, and that this device path is the adapter's." + (line.speedSearch()
                    ? " The port tries " + SPEEDS + " in turn (now " + line.baudRate() + " Bd): a silent line is silent"
                    + " at every speed, the speed is not the cause." : "");
            case tcp -> "The bridge accepts the connection but sends nothing: check its serial side, the wiring from the"
                    + " meter's TIC terminals I1 and I2 to its adapter, the adapter's power, and the device the bridge"
                    + " (ser2net) reads.";
            case file, simulator -> "The source sends nothing.";
        };
    }

    /** Bytes at another speed than the meter's. */
    static String wrongSpeed(LineState line) {
        return switch (line.transport()) {
            case serial -> line.speedSearch()
                    ? "The port tries " + SPEEDS + " in turn (now " + line.baudRate() + " Bd); " + MODE_SPEEDS
                    + ": frames arrive once it reaches the meter's. If none does, set mode= to the meter's mode and"
                    + " check the adapter."
                    : "The port reads at " + (line.baudRate() > 0 ? line.baudRate() + " Bd" : "a fixed speed") + "; "
                    + MODE_SPEEDS + ". Set mode= or baudRate= on the source to the meter's, or leave both out to try"
                    + " each speed.";
            case tcp -> "The speed is the bridge's: " + MODE_SPEEDS + ". Set the bridge's serial port (ser2net) to the"
                    + " meter's speed, 7E1; baudRate= does not apply to a TCP source.";
            case file -> "The capture was recorded at another speed than the meter's (" + MODE_SPEEDS
                    + "): record it again with the port at the meter's speed.";
            case simulator -> MODE_SPEEDS + ".";
        };
    }

    /** Seven-bit characters with even parity read as eight data bits. */
    static String wrongParity(LineState line) {
        return switch (line.transport()) {
            case serial -> "The adapter does not give the 7E1 the port asks for (some cannot): add stripParity=true to"
                    + " the source.";
            case tcp -> "Set the bridge's serial port (ser2net) to 7E1 (7 data bits, even parity, 1 stop bit), or add"
                    + " stripParity=true to the source.";
            case file -> "The capture was recorded with 8 data bits: replay it with stripParity=true.";
            case simulator -> "Add stripParity=true to the source.";
        };
    }
}
