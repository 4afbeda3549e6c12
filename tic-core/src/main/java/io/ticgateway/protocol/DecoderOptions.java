package io.ticgateway.protocol;

/**
 * How a {@link FrameDecoder} reads its input.
 *
 * @param mode           the family to expect, or null to detect it on every frame
 * @param policy         what to do with damaged frames
 * @param stripParity    mask bit 7 of every byte (a 7E1 line read as 8N1)
 * @param maxGroupLength longest group accepted between LF and CR; a longer one drops the frame
 * @param maxFrameLength longest frame content accepted; a longer one drops the frame
 */
public record DecoderOptions(TicMode mode, ValidityPolicy policy, boolean stripParity, int maxGroupLength,
                             int maxFrameLength) {

    /** Longest group any meter sends: PJOURF+1 (8 + 1 + 98 + 1 + 1 = 109 bytes), with a margin. */
    public static final int DEFAULT_MAX_GROUP_LENGTH = 128;
    /** About four times the longest frame seen (Linky standard three-phase producer). */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 8192;

    public DecoderOptions {
        if (policy == null) {
            policy = ValidityPolicy.STRICT;
        }
        if (maxGroupLength < 8 || maxFrameLength < maxGroupLength) {
            throw new IllegalArgumentException("maxGroupLength must be >= 8 and <= maxFrameLength");
        }
    }

    /** Auto-detected mode, strict policy, 7-bit input. */
    public static DecoderOptions defaults() {
        return new DecoderOptions(null, ValidityPolicy.STRICT, false, DEFAULT_MAX_GROUP_LENGTH,
                DEFAULT_MAX_FRAME_LENGTH);
    }

    public DecoderOptions withMode(TicMode newMode) {
        return new DecoderOptions(newMode, policy, stripParity, maxGroupLength, maxFrameLength);
    }

    public DecoderOptions withPolicy(ValidityPolicy newPolicy) {
        return new DecoderOptions(mode, newPolicy, stripParity, maxGroupLength, maxFrameLength);
    }

    public DecoderOptions withStripParity(boolean strip) {
        return new DecoderOptions(mode, policy, strip, maxGroupLength, maxFrameLength);
    }
}
