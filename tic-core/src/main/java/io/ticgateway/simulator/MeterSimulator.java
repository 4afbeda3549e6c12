package io.ticgateway.simulator;

import io.ticgateway.protocol.FrameEncoder;
import io.ticgateway.protocol.TicGroup;
import io.ticgateway.protocol.TicMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A simulated meter: realistic, evolving frames with valid checksums. The simulated clock advances by
 * the time each frame takes on the line at the family's baud rate, so indexes, powers, tariff periods
 * and dates evolve as on a real meter whether frames are played in real time or as fast as possible.
 *
 * <p>Not thread-safe: one reader plays it.
 */
public final class MeterSimulator {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter HORODATE = DateTimeFormatter.ofPattern("yyMMddHHmmss");
    private static final DateTimeFormatter PME_DATE = DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss");
    private static final String NO_MESSAGE = "PAS DE          MESSAGE         ";
    private static final long TEN_MINUTES = 600_000;

    /** PME-PMI tariff periods of BT 4 SUP36. */
    private enum Period { HPH, HCH, HPE, HCE }

    private final SimulatedFamily family;
    private final String meterId;
    private final int baudRate;
    private final Random random;
    private long clockMillis;
    private double powerVa;
    private double injectedVa;
    private final double[] phaseShare = {0.5, 0.3, 0.2};
    private long indexHc = 6_906_827;
    private long indexHp = 7_617_931;
    private long indexInjected = 671_631;
    private double energyFraction;
    private double injectedFraction;
    private int maxPowerToday;
    private long maxPowerTodayAt;
    private int frames;
    private int overCurrentFramesLeft;
    private final Map<Period, Long> pmePeriodKwh = new EnumMap<>(Period.class);
    private double tdEnergyWh;
    private long tdStart;

    /**
     * @param family   the meter to play
     * @param meterId  its identity (ADSC/ADCO/ADS, 12 digits), or null for a default
     * @param baudRate line speed used to advance the clock, or 0 for the family's default
     * @param startMillis simulated time of the first frame
     * @param seed     random seed (same seed, same frames)
     */
    public MeterSimulator(SimulatedFamily family, String meterId, int baudRate, long startMillis, long seed) {
        this.family = family;
        this.meterId = meterId != null ? meterId : defaultId(family);
        this.baudRate = baudRate > 0 ? baudRate : family.mode().defaultBaudRate();
        this.random = new Random(seed);
        this.clockMillis = startMillis;
        this.tdStart = startMillis - startMillis % TEN_MINUTES;
        this.powerVa = family == SimulatedFamily.PMEPMI ? 8_000 : 900;
        pmePeriodKwh.put(Period.HPH, 147_907L);
        pmePeriodKwh.put(Period.HCH, 59_971L);
        pmePeriodKwh.put(Period.HPE, 9_649L);
        pmePeriodKwh.put(Period.HCE, 4_210L);
    }

    private static String defaultId(SimulatedFamily family) {
        return switch (family) {
            case LINKY_STANDARD -> "041876543210";
            case LINKY_STANDARD_TRI -> "041876543211";
            case LINKY_PRODUCER -> "041876543212";
            case LINKY_HISTORIC -> "021861348497";
            case HISTORIC_TRI -> "056234673197";
            case PMEPMI -> "041436028024";
        };
    }

    public SimulatedFamily family() {
        return family;
    }

    public String meterId() {
        return meterId;
    }

    public int baudRate() {
        return baudRate;
    }

    /** The simulated meter time of the next frame, epoch milliseconds. */
    public long clockMillis() {
        return clockMillis;
    }

    /** The next frame's bytes (STX … ETX); advances the simulated clock by the frame's time on the line. */
    public byte[] nextFrame() {
        evolve();
        byte[] frame = FrameEncoder.frame(family.mode(), groups());
        long lineMillis = frame.length * 10_000L / baudRate;
        long gapMillis = 25; // silence between frames: 16.7-33.4 ms
        advance(lineMillis + gapMillis);
        frames++;
        return frame;
    }

    /** The groups of the next frame, without advancing (for tests and the command line). */
    List<TicGroup> groups() {
        return switch (family) {
            case LINKY_STANDARD, LINKY_STANDARD_TRI, LINKY_PRODUCER -> standardGroups();
            case LINKY_HISTORIC -> historicMonoGroups();
            case HISTORIC_TRI -> overCurrentFramesLeft > 0 && overCurrentFramesLeft % 21 != 0
                    ? historicTriShortGroups() : historicTriLongGroups();
            case PMEPMI -> pmePmiGroups();
        };
    }

    private void evolve() {
        ZonedDateTime now = now();
        double hour = now.getHour() + now.getMinute() / 60.0;
        double daily = 700 + 600 * Math.max(0, Math.sin((hour - 6) / 24 * 2 * Math.PI)) + (hour >= 18 && hour < 22 ? 900 : 0);
        double scale = family == SimulatedFamily.PMEPMI ? 8 : family.threePhase() ? 2.5 : 1;
        double target = daily * scale;
        powerVa += (target - powerVa) * 0.05 + random.nextGaussian() * 40 * scale;
        powerVa = Math.max(60 * scale, Math.min(powerVa, 8_500 * scale));
        if (family.producer()) {
            double sun = Math.max(0, Math.sin((hour - 7) / 12 * Math.PI));
            injectedVa = Math.max(0, 3_000 * sun - powerVa * 0.5 + random.nextGaussian() * 50);
        }
        if (family == SimulatedFamily.HISTORIC_TRI) {
            if (overCurrentFramesLeft > 0) {
                overCurrentFramesLeft--;
            } else if (frames % 240 == 200) {
                overCurrentFramesLeft = 42; // two cycles of 20 short frames + 1 long frame
            }
        }
    }

    private void advance(long millis) {
        double wh = powerVa * millis / 3_600_000.0;
        energyFraction += wh;
        long whole = (long) energyFraction;
        energyFraction -= whole;
        if (isOffPeak(now())) {
            indexHc += whole;
        } else {
            indexHp += whole;
        }
        injectedFraction += injectedVa * millis / 3_600_000.0;
        long injected = (long) injectedFraction;
        injectedFraction -= injected;
        indexInjected += injected;
        tdEnergyWh += wh;
        if (family == SimulatedFamily.PMEPMI) {
            Period p = pmePeriod(now());
            long kwh = (long) (tdEnergyWh / 1000);
            if (kwh > 0 && clockMillis + millis - tdStart >= TEN_MINUTES) {
                pmePeriodKwh.merge(p, kwh, Long::sum);
            }
        }
        long day = clockMillis / 86_400_000L;
        clockMillis += millis;
        if (clockMillis / 86_400_000L != day) {
            maxPowerToday = 0;
        }
        if (clockMillis - tdStart >= TEN_MINUTES) {
            tdStart = clockMillis - clockMillis % TEN_MINUTES;
            tdEnergyWh = 0;
        }
        if ((int) powerVa > maxPowerToday) {
            maxPowerToday = (int) powerVa;
            maxPowerTodayAt = clockMillis;
        }
    }

    private ZonedDateTime now() {
        return Instant.ofEpochMilli(clockMillis).atZone(PARIS);
    }

    private static boolean isOffPeak(ZonedDateTime t) {
        return t.getHour() >= 22 || t.getHour() < 6;
    }

    private static Period pmePeriod(ZonedDateTime t) {
        boolean winter = t.getMonthValue() >= 11 || t.getMonthValue() <= 3;
        boolean offPeak = isOffPeak(t);
        if (winter) {
            return offPeak ? Period.HCH : Period.HPH;
        }
        return offPeak ? Period.HCE : Period.HPE;
    }

    private static String horodate(long millis) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(PARIS);
        boolean summer = PARIS.getRules().isDaylightSavings(t.toInstant());
        return (summer ? "E" : "H") + HORODATE.format(t);
    }

    private static String digits(long value, int width) {
        String s = Long.toString(Math.max(0, value));
        return s.length() >= width ? s.substring(s.length() - width) : "0".repeat(width - s.length()) + s;
    }

    private static TicGroup g(String label, String data) {
        return new TicGroup(label, null, data);
    }

    private static TicGroup h(String label, String horodate, String data) {
        return new TicGroup(label, horodate, data);
    }

    private List<TicGroup> standardGroups() {
        boolean tri = family.threePhase();
        boolean producer = family.producer();
        long total = indexHc + indexHp;
        boolean offPeak = isOffPeak(now());
        int va = (int) powerVa;
        String today = horodate(clockMillis);
        long midnight = now().toLocalDate().atStartOfDay(PARIS).toInstant().toEpochMilli();
        List<TicGroup> gs = new ArrayList<>(70);
        gs.add(g("ADSC", meterId));
        gs.add(g("VTIC", "02"));
        gs.add(h("DATE", today, ""));
        if (producer) {
            gs.add(g("NGTF", "   PRODUCTEUR   "));
            gs.add(g("LTARF", " INDEX NON CONSO"));
        } else if (tri) {
            gs.add(g("NGTF", "     TEMPO      "));
            gs.add(g("LTARF", offPeak ? "    HC  BLEU    " : "    HP  BLEU    "));
        } else {
            gs.add(g("NGTF", "      BASE      "));
            gs.add(g("LTARF", "      BASE      "));
        }
        gs.add(g("EAST", digits(total, 9)));
        for (int i = 1; i <= 10; i++) {
            long v = tri ? (i == 1 ? indexHc : i == 2 ? indexHp : 0) : (i == 1 ? total : 0);
            gs.add(g(String.format("EASF%02d", i), digits(v, 9)));
        }
        for (int i = 1; i <= 4; i++) {
            gs.add(g(String.format("EASD%02d", i), digits(i == 1 ? total : 0, 9)));
        }
        if (producer) {
            gs.add(g("EAIT", digits(indexInjected, 9)));
            gs.add(g("ERQ1", digits(total / 7, 9)));
            gs.add(g("ERQ2", digits(total / 90, 9)));
            gs.add(g("ERQ3", digits(indexInjected / 40, 9)));
            gs.add(g("ERQ4", digits(indexInjected / 3, 9)));
        }
        int phases = tri ? 3 : 1;
        int volts = 230 + random.nextInt(7) - 3;
        for (int p = 1; p <= phases; p++) {
            double share = tri ? phaseShare[p - 1] : 1;
            gs.add(g("IRMS" + p, digits(Math.round(powerVa * share / volts), 3)));
        }
        for (int p = 1; p <= phases; p++) {
            gs.add(g("URMS" + p, digits(volts + p - 1, 3)));
        }
        String pref = tri ? "18" : "09";
        gs.add(g("PREF", pref));
        gs.add(g("PCOUP", pref));
        gs.add(g("SINSTS", digits(va, 5)));
        if (tri) {
            for (int p = 1; p <= 3; p++) {
                gs.add(g("SINSTS" + p, digits(Math.round(powerVa * phaseShare[p - 1]), 5)));
            }
        }
        String maxAt = horodate(maxPowerTodayAt > 0 ? maxPowerTodayAt : clockMillis);
        gs.add(h("SMAXSN", maxAt, digits(maxPowerToday, 5)));
        if (tri) {
            for (int p = 1; p <= 3; p++) {
                gs.add(h("SMAXSN" + p, maxAt, digits(Math.round(maxPowerToday * phaseShare[p - 1]), 5)));
            }
        }
        String yesterday = horodate(midnight - 4 * 3_600_000L);
        gs.add(h("SMAXSN-1", yesterday, digits(maxPowerToday + 731, 5)));
        if (tri) {
            for (int p = 1; p <= 3; p++) {
                gs.add(h("SMAXSN" + p + "-1", yesterday, digits(Math.round((maxPowerToday + 731) * phaseShare[p - 1]), 5)));
            }
        }
        if (producer) {
            gs.add(g("SINSTI", digits(Math.round(injectedVa), 5)));
            gs.add(h("SMAXIN", horodate(clockMillis), digits(Math.round(injectedVa), 5)));
            gs.add(h("SMAXIN-1", yesterday, "02861"));
        }
        long halfHour = clockMillis - clockMillis % 1_800_000L;
        gs.add(h("CCASN", horodate(halfHour), digits(va, 5)));
        gs.add(h("CCASN-1", horodate(halfHour - 1_800_000L), digits(Math.max(0, va - 120), 5)));
        if (producer) {
            gs.add(h("CCAIN", horodate(halfHour), digits(Math.round(injectedVa), 5)));
            gs.add(h("CCAIN-1", horodate(halfHour - 1_800_000L), digits(Math.round(injectedVa * 0.9), 5)));
        }
        long tenMinutes = clockMillis - clockMillis % TEN_MINUTES;
        for (int p = 1; p <= phases; p++) {
            gs.add(h("UMOY" + p, horodate(tenMinutes), digits(volts + p - 1, 3)));
        }
        gs.add(g("STGE", stge(tri, producer, offPeak)));
        gs.add(g("MSG1", NO_MESSAGE));
        String tail = "0000" + meterId; // an id of fewer than 4 characters (an endpoint's meterId) too
        gs.add(g("PRM", "1234567890" + tail.substring(tail.length() - 4)));
        gs.add(g("RELAIS", "000"));
        gs.add(g("NTARF", tri ? (offPeak ? "01" : "02") : "01"));
        gs.add(g("NJOURF", "00"));
        gs.add(g("NJOURF+1", "00"));
        gs.add(g("PJOURF+1", tri
                ? "00004001 06004002 22004001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE"
                : "00008001 NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE NONUTILE"));
        return gs;
    }

    private String stge(boolean tri, boolean producer, boolean offPeak) {
        long v = 0x003A0001L;
        if (producer) {
            v |= 1L << 8;
            if (injectedVa > powerVa) {
                v |= 1L << 9;
            }
        }
        if (tri) {
            v |= (offPeak ? 0L : 1L) << 10; // supplier index 1 (HC) or 2 (HP)
            v |= 1L << 24; // Tempo: blue today
            if (now().getHour() >= 11) {
                v |= (long) (1 + (now().getDayOfYear() % 3)) << 26; // tomorrow announced after 10:40
            }
        }
        return String.format("%08X", v);
    }

    private List<TicGroup> historicMonoGroups() {
        boolean offPeak = isOffPeak(now());
        int amps = (int) Math.round(powerVa / 230);
        List<TicGroup> gs = new ArrayList<>(12);
        gs.add(g("ADCO", meterId));
        gs.add(g("OPTARIF", "HC.."));
        gs.add(g("ISOUSC", "45"));
        gs.add(g("HCHC", digits(indexHc, 9)));
        gs.add(g("HCHP", digits(indexHp, 9)));
        gs.add(g("PTEC", offPeak ? "HC.." : "HP.."));
        gs.add(g("IINST", digits(amps, 3)));
        gs.add(g("IMAX", "090"));
        gs.add(g("PAPP", digits(Math.round(powerVa / 10) * 10, 5)));
        gs.add(g("HHPHC", "A"));
        gs.add(g("MOTDETAT", "000000"));
        return gs;
    }

    private List<TicGroup> historicTriLongGroups() {
        List<TicGroup> gs = new ArrayList<>(16);
        gs.add(g("ADCO", meterId));
        gs.add(g("OPTARIF", "BASE"));
        gs.add(g("ISOUSC", "20"));
        gs.add(g("BASE", digits(indexHc + indexHp, 9)));
        gs.add(g("PTEC", "TH.."));
        for (int p = 1; p <= 3; p++) {
            gs.add(g("IINST" + p, digits(phaseAmps(p), 3)));
        }
        for (int p = 1; p <= 3; p++) {
            gs.add(g("IMAX" + p, "060"));
        }
        gs.add(g("PMAX", digits(Math.round(maxPowerToday / 10.0) * 10, 5)));
        gs.add(g("PAPP", digits(Math.round(powerVa / 10) * 10, 5)));
        gs.add(g("HHPHC", "A"));
        gs.add(g("MOTDETAT", "000000"));
        gs.add(g("PPOT", "00"));
        return gs;
    }

    private long phaseAmps(int phase) {
        long amps = Math.round(powerVa * phaseShare[phase - 1] / 230);
        return overCurrentFramesLeft > 0 && phase == 1 ? Math.max(amps, 31) : amps;
    }

    private List<TicGroup> historicTriShortGroups() {
        return List.of(g("ADIR1", digits(phaseAmps(1), 3)), g("ADCO", meterId), g("IINST1", digits(phaseAmps(1), 3)),
                g("IINST2", digits(phaseAmps(2), 3)), g("IINST3", digits(phaseAmps(3), 3)));
    }

    private List<TicGroup> pmePmiGroups() {
        ZonedDateTime now = now();
        Period period = pmePeriod(now);
        LocalDateTime periodStart = now.toLocalDate().withDayOfMonth(1).atTime(2, 50);
        String debP = PME_DATE.format(periodStart);
        String debP1 = PME_DATE.format(periodStart.minusMonths(1));
        long eap = pmePeriodKwh.get(period);
        long tdWh = Math.round(tdEnergyWh);
        List<TicGroup> gs = new ArrayList<>(48);
        gs.add(g("ADS", meterId));
        gs.add(g("MESURES1", "BT 4 SUP36"));
        gs.add(g("DATE", PME_DATE.format(now)));
        gs.add(g("EA_s", tdWh + "Wh"));
        gs.add(g("ER+_s", "0varh"));
        gs.add(g("ER-_s", Math.round(tdWh * 0.4) + "varh"));
        gs.add(g("EAPP_s", Math.round(tdWh * 1.08) + "VAh"));
        gs.add(g("PTCOUR1", period.name()));
        gs.add(g("TARIFDYN", "INACTIF"));
        gs.add(g("ETATDYN1", "000"));
        gs.add(g("CONFIG", "CONSO"));
        long tenMinutes = clockMillis - clockMillis % TEN_MINUTES;
        for (int i = 1; i <= 6; i++) {
            String at = PME_DATE.format(Instant.ofEpochMilli(tenMinutes - (i - 1) * TEN_MINUTES).atZone(PARIS));
            gs.add(g("DATEPA" + i, at));
            gs.add(g("PA" + i + "_s", Math.round(powerVa / 1000 + (i % 3) - 1) + "kW"));
        }
        gs.add(g("DebP", debP));
        gs.add(g("EAP_s", eap + "kWh"));
        gs.add(g("ER+P_s", (eap / 42) + "kvarh"));
        gs.add(g("ER-P_s", (eap * 3 / 4) + "kvarh"));
        gs.add(g("DebP-1", debP1));
        gs.add(g("FinP-1", debP));
        gs.add(g("EAP-1_s", (eap * 24 / 25) + "kWh"));
        gs.add(g("ER+P-1_s", (eap / 42) + "kvarh"));
        gs.add(g("ER-P-1_s", (eap * 2 / 3) + "kvarh"));
        gs.add(g("PS", "42kVA"));
        gs.add(g("PA1MN", Math.round(powerVa / 1000) + "kW"));
        gs.add(g("PMAX_s", Math.round(maxPowerToday / 1000.0) + "kVA"));
        gs.add(g("TGPHI_s", String.format(java.util.Locale.ROOT, "%.2f", -0.39 + random.nextGaussian() * 0.02).replace('.', ',')));
        gs.add(g("MESURES2", "BT 4 SUP36"));
        gs.add(g("PTCOUR2", period.name()));
        gs.add(g("ETATDYN2", "000"));
        gs.add(g("DebP_2", debP));
        gs.add(g("EAP_s2", eap + "kWh"));
        gs.add(g("DebP-1_2", debP1));
        gs.add(g("FinP-1_2", debP));
        gs.add(g("EAP-1_s2", (eap * 24 / 25) + "kWh"));
        return gs;
    }
}
