package io.ticgateway.app.status;

import io.ticgateway.protocol.TicMode;
import java.util.Locale;

/**
 * What is wrong with a meter's line, in words an installer can act on, from the counters of the last
 * window ({@link LineSample#since}): the source cannot be opened; no byte for {@link #SILENCE_MILLIS}; bytes but
 * no frame, with the decoder's profile of the bytes outside frames telling 8N1 from a wrong speed; checksum
 * errors; a meter whose TIC mode was switched; a capture replayed without one valid frame. What to check
 * depends on the source's transport ({@link LineAdvice}).
 *
 * @param code  what was found
 * @param text  the finding and what to check, in words
 */
public record LineDiagnosis(Code code, String text) {

    /** Findings, each with its level: {@code ok}, {@code info}, {@code warning} (frames arrive) or {@code error}. */
    public enum Code {
        OK("ok"), REPLAY_FINISHED("ok"), STARTING("info"), CHECKSUM_ERRORS("warning"), MODE_SWITCHED("warning"),
        CANNOT_OPEN("error"), NO_BYTES("error"), WRONG_PARITY("error"), WRONG_SPEED("error"), NO_FRAME("error");

        private final String level;

        Code(String level) {
            this.level = level;
        }

        public String level() {
            return level;
        }
    }

    /** Silence shorter than this is the gap between frames, or a line just opened. */
    static final long SILENCE_MILLIS = 10_000;
    /** Fewer bytes than this in a window tell nothing of their profile. */
    static final long PROFILE_BYTES = 64;

    /**
     * @param older    the oldest sample of the window
     * @param newer    the newest sample
     * @param family   the configured family
     * @param lastMode the mode of the last frame delivered, or null
     */
    public static LineDiagnosis of(LineSample older, LineSample newer, TicMode family, TicMode lastMode) {
        LineState line = newer.line();
        if (line.finished()) {
            return newer.frames() > 0 ? new LineDiagnosis(Code.REPLAY_FINISHED, "The capture was replayed to its end.")
                    : withoutFrames(newer, family, "The capture was replayed to its end without one valid frame: ");
        }
        if (!line.open()) {
            return new LineDiagnosis(Code.CANNOT_OPEN, LineAdvice.cannotOpen(line));
        }
        long silent = newer.at() - Math.max(line.lastByteAt(), line.openSince());
        if (silent >= SILENCE_MILLIS) {
            boolean before = line.lastByteAt() >= line.openSince() && line.lastByteAt() > 0;
            return new LineDiagnosis(Code.NO_BYTES, "No byte at all for " + silent / 1000 + " s while the source is open"
                    + (before ? " (bytes arrived until then: the meter stopped sending or the line was cut)" : "") + ". "
                    + LineAdvice.noBytes(line));
        }
        LineSample window = newer.since(older);
        if (window.bytes() == 0) {
            return newer.frames() > 0 ? ok(window) : new LineDiagnosis(Code.STARTING,
                    line.lastByteAt() >= line.openSince() && line.lastByteAt() > 0 ? "Bytes arrive; waiting for a frame."
                    : "Waiting for the first bytes.");
        }
        if (window.frames() == 0) {
            return withoutFrames(window, family, "Bytes arrive but no frame: ");
        }
        if (lastMode != null && lastMode != family || window.wrongMode() > 0) {
            return modeSwitched(family, lastMode);
        }
        long ended = window.frames() + window.rejected();
        if (window.checksum() >= 2 && window.checksum() * 20 >= ended) {
            return new LineDiagnosis(Code.CHECKSUM_ERRORS, window.checksum() + " of the last " + ended
                    + " frames failed their checksum: electrical noise on the line or a weak signal (the standard"
                    + " mode at 9600 Bd is the more sensitive): a shorter or twisted-pair cable away from power"
                    + " cables, an adapter made for the meter's mode.");
        }
        return ok(window);
    }

    /** Bytes without a frame over {@code window}: their profile tells a wrong character format or speed. */
    private static LineDiagnosis withoutFrames(LineSample window, TicMode family, String lead) {
        if (window.wrongMode() > 0) {
            return modeSwitched(family, family == TicMode.STANDARD ? TicMode.HISTORIC : TicMode.STANDARD);
        }
        LineState line = window.line();
        long outside = window.outside();
        if (outside >= PROFILE_BYTES) {
            double bit7 = (double) window.outsideBit7() / outside;
            double odd = (double) window.outsideOddParity() / outside;
            double foreign = (double) window.outsideForeign() / outside;
            if (bit7 >= 0.1 && odd <= 0.02) {
                return new LineDiagnosis(Code.WRONG_PARITY, lead + "bit 7 is set on " + percent(bit7) + " of the bytes"
                        + " and every one has even parity over eight bits. This looks like 8N1 instead of 7E1: the line"
                        + " is read with 8 data bits while the meter sends 7 bits and even parity. "
                        + LineAdvice.wrongParity(line));
            }
            if (foreign >= 0.05 || bit7 >= 0.1 && odd >= 0.1) {
                String profile = foreign >= 0.05 ? percent(foreign) + " of the bytes are NUL or control bytes no meter"
                        + " sends" : "bit 7 is set on " + percent(bit7) + " of the bytes, with random parity";
                return new LineDiagnosis(Code.WRONG_SPEED, lead + profile + ", what a serial port at the wrong speed"
                        + " makes of the line. This looks like the other baud rate. " + LineAdvice.wrongSpeed(line));
            }
        }
        String span = line.finished() ? "" : " in the last " + window.at() / 1000 + " s";
        return new LineDiagnosis(Code.NO_FRAME, lead + window.bytes() + " bytes" + span + ", " + window.rejected()
                + " frame(s) rejected, " + window.checksum() + " of them for a checksum. See the rejections by reason.");
    }

    private static LineDiagnosis modeSwitched(TicMode family, TicMode seen) {
        String name = seen.id();
        return new LineDiagnosis(Code.MODE_SWITCHED, "The meter sends " + name + "-mode frames but is configured as "
                + family.id() + ": its TIC mode was switched. Set the meter's family (tic.meter.<name>.family) to "
                + name + " and mode=" + name + " on its source" + (seen == TicMode.STANDARD ? " (9600 Bd)."
                : " (1200 Bd)."));
    }

    private static LineDiagnosis ok(LineSample window) {
        double perSecond = window.at() > 0 ? window.frames() * 1000.0 / window.at() : 0;
        return new LineDiagnosis(Code.OK, String.format(Locale.ROOT, "Frames arrive (%.2f/s).", perSecond));
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 100) + " %";
    }
}
