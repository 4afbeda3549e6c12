package io.ticgateway.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes frames as a meter sends them: STX, groups with their checksums, ETX. Used by the simulator
 * and by tests that need streams the corpus lacks.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /** The bytes of one frame in the syntax of {@code mode}. */
    public static byte[] frame(TicMode mode, List<TicGroup> groups) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * groups.size());
        out.write(TicBytes.STX);
        for (TicGroup group : groups) {
            writeGroup(out, mode, group);
        }
        out.write(TicBytes.ETX);
        return out.toByteArray();
    }

    /** One group, LF to CR, with the checksum of its mode. */
    public static byte[] group(TicMode mode, TicGroup group) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        writeGroup(out, mode, group);
        return out.toByteArray();
    }

    private static void writeGroup(ByteArrayOutputStream out, TicMode mode, TicGroup group) {
        char sep = mode.usesTabSeparator() ? '\t' : ' ';
        StringBuilder body = new StringBuilder(group.label()).append(sep);
        if (group.horodate() != null) {
            if (!mode.usesTabSeparator()) {
                throw new IllegalArgumentException("horodated groups exist in standard mode only");
            }
            body.append(group.horodate()).append(sep);
        }
        body.append(group.data());
        if (mode.usesTabSeparator()) {
            body.append(sep); // standard: the HT before the checksum is summed
        }
        byte[] checked = body.toString().getBytes(StandardCharsets.US_ASCII);
        int checksum = Checksum.of(checked, 0, checked.length);
        out.write(TicBytes.LF);
        out.writeBytes(checked);
        if (!mode.usesTabSeparator()) {
            out.write(TicBytes.SP);
        }
        out.write(checksum);
        out.write(TicBytes.CR);
    }
}
