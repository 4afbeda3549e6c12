package io.ticgateway.meter;

import java.util.ArrayList;
import java.util.List;

/**
 * A day profile ({@code PJOURF+1}, {@code PPOINTE}): up to 11 blocks {@code HHMMSSSS}, unused ones
 * {@code NONUTILE} (Enedis-NOI-CPT_54E §6.2.3.22).
 */
public final class DayProfile {

    /**
     * One switching time of the profile.
     *
     * @param start        start time {@code HH:MM}
     * @param action       the 16-bit action word, as 4 hex digits
     * @param tariffIndex  supplier index switched to (1-10), or 0 for no change
     * @param virtualContacts bits of virtual contacts 1-7
     * @param dryContact   dry-contact order: {@code inchangé}, {@code tempo}, {@code ouvert}, {@code fermé}
     */
    public record Slot(String start, String action, int tariffIndex, int virtualContacts, String dryContact) {
    }

    private static final String[] DRY_CONTACT = {"inchangé", "tempo", "ouvert", "fermé"};

    private DayProfile() {
    }

    /**
     * Parses the used blocks of a profile.
     *
     * @throws IllegalArgumentException when a block is neither {@code NONUTILE} nor 8 hex digits
     */
    public static List<Slot> parse(String data) {
        List<Slot> slots = new ArrayList<>(11);
        for (String block : data.trim().split(" +")) {
            if (block.isEmpty() || block.equals("NONUTILE")) {
                continue;
            }
            if (block.length() != 8) {
                throw new IllegalArgumentException("day profile block must be HHMMSSSS: '" + block + "'");
            }
            int action = Integer.parseInt(block.substring(4), 16);
            int index = action & 0xF;
            slots.add(new Slot(block.substring(0, 2) + ":" + block.substring(2, 4), block.substring(4),
                    index >= 1 && index <= 10 ? index : 0, (action >>> 4) & 0x7F, DRY_CONTACT[(action >>> 14) & 0x3]));
        }
        return List.copyOf(slots);
    }
}
