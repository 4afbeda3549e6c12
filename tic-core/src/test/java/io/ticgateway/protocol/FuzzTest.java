package io.ticgateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ticgateway.Corpus;
import io.ticgateway.Corpus.Decoded;
import io.ticgateway.GeneratedStreams;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random mutations of valid streams: bit flips, dropped and duplicated bytes, truncation,
 * EOTs and garbage. Nothing throws, every intact frame around the damage is delivered, counters add up.
 */
class FuzzTest {

    private static final int ROUNDS_PER_STREAM = 600;

    private enum Mutation { FLIP, DROP, DUPLICATE, EOT, GARBAGE, TRUNCATE }

    /** Start (STX) and end (ETX) offsets of the complete frames of a clean stream. */
    private static List<int[]> frameRanges(byte[] stream) {
        List<int[]> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < stream.length; i++) {
            if (stream[i] == TicBytes.STX) {
                start = i;
            } else if (stream[i] == TicBytes.ETX && start >= 0) {
                ranges.add(new int[] {start, i});
                start = -1;
            }
        }
        return ranges;
    }

    @Test
    void randomDamageNeverLosesTheIntactFramesAround() {
        Random random = new Random(20261128L);
        int streamsChecked = 0;
        for (byte[] clean : GeneratedStreams.cleanStreams()) {
            List<int[]> ranges = frameRanges(clean);
            List<List<TicGroup>> cleanFrames = new ArrayList<>();
            Corpus.decode(clean, DecoderOptions.defaults()).frames().forEach(f -> cleanFrames.add(f.groups()));
            assertThat(cleanFrames).hasSize(ranges.size());
            for (int round = 0; round < ROUNDS_PER_STREAM; round++) {
                TreeMap<Integer, Mutation> mutations = new TreeMap<>();
                int count = 1 + random.nextInt(5);
                for (int m = 0; m < count; m++) {
                    Mutation kind = Mutation.values()[random.nextInt(Mutation.values().length)];
                    if (kind == Mutation.TRUNCATE && random.nextInt(4) != 0) {
                        kind = Mutation.FLIP; // keep most rounds long enough to check the frames after damage
                    }
                    mutations.put(random.nextInt(clean.length), kind);
                }
                byte[] damaged = apply(clean, mutations, random);
                ValidityPolicy policy = round % 2 == 0 ? ValidityPolicy.STRICT : ValidityPolicy.LENIENT;
                Decoded[] result = new Decoded[1];
                assertThatCode(() -> result[0] = Corpus.decodeInChunks(damaged,
                        DecoderOptions.defaults().withPolicy(policy), new int[] {1 + random.nextInt(64)}))
                        .doesNotThrowAnyException();
                Decoded d = result[0];
                assertThat(d.stats().framesStarted())
                        .as("every started frame is delivered or rejected once")
                        .isEqualTo(d.stats().framesDelivered() + d.stats().framesRejectedTotal());
                assertThat(d.stats().bytesRead()).isEqualTo(damaged.length);
                int truncateAt = mutations.entrySet().stream().filter(e -> e.getValue() == Mutation.TRUNCATE)
                        .mapToInt(e -> e.getKey()).min().orElse(Integer.MAX_VALUE);
                List<List<TicGroup>> intact = new ArrayList<>();
                for (int f = 0; f < ranges.size(); f++) {
                    int[] r = ranges.get(f);
                    boolean touched = !mutations.subMap(r[0], true, r[1], true).isEmpty();
                    if (!touched && r[1] < truncateAt) {
                        intact.add(cleanFrames.get(f));
                    }
                }
                List<List<TicGroup>> delivered = new ArrayList<>();
                d.frames().forEach(f -> delivered.add(f.groups()));
                assertThat(isSubsequence(intact, delivered))
                        .as("round %d: %d intact frames all delivered in order (mutations %s)", round, intact.size(),
                                mutations)
                        .isTrue();
                streamsChecked++;
            }
        }
        assertThat(streamsChecked).isEqualTo(ROUNDS_PER_STREAM * GeneratedStreams.cleanStreams().size());
    }

    private static byte[] apply(byte[] clean, TreeMap<Integer, Mutation> mutations, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(clean.length + 64);
        for (int i = 0; i < clean.length; i++) {
            Mutation m = mutations.get(i);
            if (m == null) {
                out.write(clean[i]);
                continue;
            }
            switch (m) {
                case FLIP -> out.write(clean[i] ^ (1 << random.nextInt(8)));
                case DROP -> { }
                case DUPLICATE -> {
                    out.write(clean[i]);
                    out.write(clean[i]);
                }
                case EOT -> {
                    out.write(TicBytes.EOT);
                    out.write(clean[i]);
                }
                case GARBAGE -> {
                    byte[] junk = new byte[1 + random.nextInt(40)];
                    random.nextBytes(junk);
                    out.writeBytes(junk);
                    out.write(clean[i]);
                }
                case TRUNCATE -> {
                    return out.toByteArray();
                }
                default -> throw new IllegalStateException();
            }
        }
        return out.toByteArray();
    }

    private static <T> boolean isSubsequence(List<T> needle, List<T> haystack) {
        int j = 0;
        for (T item : haystack) {
            if (j < needle.size() && needle.get(j).equals(item)) {
                j++;
            }
        }
        return j == needle.size();
    }
}
