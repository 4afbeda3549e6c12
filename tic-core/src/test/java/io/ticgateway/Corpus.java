package io.ticgateway;

import io.ticgateway.protocol.DecoderOptions;
import io.ticgateway.protocol.DecoderStats;
import io.ticgateway.protocol.FrameDecoder;
import io.ticgateway.protocol.FrameListener;
import io.ticgateway.protocol.Rejection;
import io.ticgateway.protocol.TicFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Real captures copied from shared/corpus into src/test/resources/corpus (see SOURCES.md there). */
public final class Corpus {

    public static final String STANDARD_LAINS = "linky-standard-mono-base_lains.bin";
    public static final String STANDARD_MIDNIGHT = "linky-standard-mono-base_lains_midnight-edited.bin";
    public static final String STANDARD_GOTELEINFO = "linky-standard-mono-hchp_goteleinfo-testframe.bin";
    public static final String HISTORIC_TEMPO = "linky-historic-mono-tempo_pyteleinfo.bin";
    public static final String HISTORIC_TRI_2023 = "linky-historic-tri-base_lains-2023.bin";
    public static final String HISTORIC_TRI_COOKED = "linky-historic-tri-base_lains-2024_tty-cooked.bin";
    public static final String HISTORIC_TRI_RX_ERRORS = "linky-historic-tri-base_lains_rx-errors.bin";
    public static final String CBEMM_1 = "cbemm-icc-historic-hc_nokyyz-1.raw";
    public static final String CBEMM_2 = "cbemm-icc-historic-hc_nokyyz-2.raw";
    public static final String CBEMM_3 = "cbemm-icc-historic-hc_nokyyz-3.raw";
    public static final String PMEPMI = "pmepmi-bt4sup36-conso_liberasys.bin";
    public static final String PMEPMI_EOT = "pmepmi-bt4sup36-conso_liberasys_eot-injected.bin";

    private Corpus() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a decoder produced from a whole input. */
    public record Decoded(List<TicFrame> frames, List<Rejection> rejections, DecoderStats stats) {
    }

    /** Decodes all of {@code data} in one chunk, then signals the end of input. */
    public static Decoded decode(byte[] data, DecoderOptions options) {
        return decodeInChunks(data, options, new int[] {data.length});
    }

    /** Decodes {@code data} fed in chunks of the given sizes, cycling through them. */
    public static Decoded decodeInChunks(byte[] data, DecoderOptions options, int[] chunkSizes) {
        List<TicFrame> frames = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(new FrameListener() {
            @Override
            public void onFrame(TicFrame frame) {
                frames.add(frame);
            }

            @Override
            public void onRejection(Rejection rejection) {
                rejections.add(rejection);
            }
        }, options, () -> 0L);
        int pos = 0;
        int c = 0;
        while (pos < data.length) {
            int n = Math.max(1, Math.min(chunkSizes[c++ % chunkSizes.length], data.length - pos));
            decoder.feed(data, pos, n);
            pos += n;
        }
        decoder.endOfInput();
        return new Decoded(frames, rejections, decoder.stats());
    }
}
