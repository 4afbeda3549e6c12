package io.ticgateway;

import java.io.ByteArrayOutputStream;

/**
 * A serial line between a meter and a receiving UART set differently: the bytes a meter sends are turned
 * into the line's bits (start bit, data bits LSB first, even parity for 7E1, stop bit, back to back) and
 * read again by a UART at another speed or character format, as a serial driver delivers them to a
 * reader (termios without IGNPAR and PARMRK: a character with a framing or parity error arrives as NUL).
 */
public final class UartLine {

    /** A character format: 7E1 (the TIC setting) or 8N1. */
    public enum Format {
        SEVEN_EVEN_ONE(7, true), EIGHT_NONE_ONE(8, false);

        final int dataBits;
        final boolean parity;

        Format(int dataBits, boolean parity) {
            this.dataBits = dataBits;
            this.parity = parity;
        }

        int bits() {
            return 1 + dataBits + (parity ? 1 : 0) + 1;
        }
    }

    private UartLine() {
    }

    /** What a UART at {@code readBaud}/{@code readFormat} receives from bytes sent at {@code sendBaud}/{@code sendFormat}. */
    public static byte[] receive(byte[] sent, int sendBaud, Format sendFormat, int readBaud, Format readFormat) {
        int samplesPerSecond = lcm(sendBaud, readBaud) * 2; // every bit of either side spans a whole, even count
        boolean[] line = waveform(sent, sendFormat, samplesPerSecond / sendBaud);
        int bit = samplesPerSecond / readBaud;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 1;
        while (true) {
            while (pos < line.length && !(line[pos - 1] && !line[pos])) { // a falling edge starts a character
                pos++;
            }
            int last = pos + bit / 2 + (readFormat.bits() - 1) * bit;
            if (last >= line.length) {
                return out.toByteArray();
            }
            if (line[pos + bit / 2]) { // the start bit's middle is high again: a glitch, not a character
                pos++;
                continue;
            }
            int value = 0;
            int ones = 0;
            for (int k = 0; k < readFormat.dataBits; k++) {
                if (line[pos + bit / 2 + (1 + k) * bit]) {
                    value |= 1 << k;
                    ones++;
                }
            }
            boolean good = line[last]; // the stop bit
            if (readFormat.parity) {
                boolean parityBit = line[pos + bit / 2 + (1 + readFormat.dataBits) * bit];
                good &= ((ones + (parityBit ? 1 : 0)) & 1) == 0;
            }
            out.write(good ? value : 0);
            pos = last;
        }
    }

    private static boolean[] waveform(byte[] sent, Format format, int samplesPerBit) {
        int bits = format.bits();
        boolean[] line = new boolean[(sent.length * bits + 2) * samplesPerBit];
        int pos = 0;
        for (int s = 0; s < samplesPerBit; s++) {
            line[pos++] = true; // idle before the first character
        }
        for (byte b : sent) {
            int ones = 0;
            boolean[] character = new boolean[bits];
            for (int k = 0; k < format.dataBits; k++) {
                character[1 + k] = ((b >> k) & 1) == 1;
                ones += (b >> k) & 1;
            }
            if (format.parity) {
                character[1 + format.dataBits] = (ones & 1) == 1;
            }
            character[bits - 1] = true;
            for (boolean level : character) {
                for (int s = 0; s < samplesPerBit; s++) {
                    line[pos++] = level;
                }
            }
        }
        while (pos < line.length) {
            line[pos++] = true;
        }
        return line;
    }

    private static int lcm(int a, int b) {
        int x = a;
        int y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
