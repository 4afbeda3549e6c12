package io.ticgateway.app;

import io.ticgateway.camel.TicConstants;
import io.ticgateway.camel.TicStatistics;
import io.ticgateway.meter.LabelDictionary;
import io.ticgateway.meter.LabelInfo;
import io.ticgateway.meter.MeterReading;
import io.ticgateway.meter.ReadingJson;
import io.ticgateway.protocol.TicMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.InvalidPayloadException;

/**
 * MQTT messages for Home Assistant: per-meter state topics, availability (gateway last-will plus one
 * topic per meter), MQTT discovery configs ({@link DiscoveryConfig}), the removal of meters that left
 * the configuration, and when a state is due ({@link PublishPolicy}).
 */
public class HomeAssistant {

    /** Exchange property, set by the family route: comma-separated entities ({@code EAST}, {@code STGE.couleurJour}, {@code derived.CONSO_TOTALE_s}). */
    public static final String ENTITIES_PROPERTY = "ticHomeAssistant";
    /** How long after a failed publish the broker is tried again: Paho's own reconnection pace (maxReconnectDelay). */
    private static final long RETRY_NANOS = 4_000_000_000L;

    /** One message to publish. */
    public record Message(String topic, String payload) {
    }

    private record Known(String meterId, TicMode family, List<String> entities, Map<String, String> units) {
    }

    private final StateStore store;
    private final String prefix;
    private final DiscoveryConfig discovery;
    private final PublishPolicy policy;
    private final long noDataMillis;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final MeterJson stateJson = new MeterJson();
    private final Map<String, Boolean> announced = new ConcurrentHashMap<>();
    private final Map<String, String> availabilitySent = new ConcurrentHashMap<>();
    private volatile boolean brokerFailing;
    /** Whether a publish ever succeeded (the producer is connected, or Paho reconnects it). */
    private volatile boolean publishedOnce;
    /** When the last publish failed ({@link System#nanoTime}). */
    private volatile long failedAt;

    /**
     * @param language the entities' names: {@code fr} or {@code en}
     * @param policy   when a meter's state is due
     */
    /** The meters this sink publishes (tic.family.<family>.sinks); every meter by default. */
    private Predicate<String> published = meter -> true;

    public HomeAssistant(StateStore store, String prefix, String discoveryPrefix, String language, PublishPolicy policy,
                         long noDataMillis) {
        this.store = store;
        this.prefix = prefix;
        this.discovery = new DiscoveryConfig(prefix, discoveryPrefix, language);
        this.policy = policy;
        this.noDataMillis = noDataMillis;
    }

    /** Topic of the gateway's availability (its MQTT last will says {@code offline}). */
    public String gatewayAvailabilityTopic() {
        return prefix + "/gateway/availability";
    }

    /** Turns the exchange into the meter's retained state message (canonical JSON) and remembers its entities. */
    public void state(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = remember(exchange);
        exchange.getMessage().setBody(stateJson.of(meterName(exchange, reading), reading));
        exchange.getMessage().setHeader("CamelPahoMqtt5OverrideTopic", prefix + "/" + meterName(exchange, reading) + "/state");
        exchange.getMessage().setHeader("CamelPahoMqtt5Retained", true);
    }

    /** Remembers the entities of the exchange's meter present in its frame; a new one gets announced. */
    private MeterReading remember(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = meterName(exchange, reading);
        Map<String, String> units = new LinkedHashMap<>();
        reading.groups().values().forEach(r -> {
            if (r.unit() != null) {
                units.put(r.label(), r.unit());
            }
        });
        reading.allDerived().forEach((label, q) -> {
            if (q.unit() != null) {
                units.put("derived." + label, q.unit());
            }
        });
        List<String> list = new ArrayList<>();
        for (String e : exchange.getProperty(ENTITIES_PROPERTY, "", String.class).split(",")) {
            String entity = e.trim();
            if (!entity.isEmpty() && present(reading, entity)) {
                list.add(entity);
            }
        }
        Known previous = known.put(meter, new Known(reading.meterId(), reading.mode(), list, units));
        if (previous != null && !previous.entities().containsAll(list)) {
            announced.remove(meter); // an entity appeared (a label sent now and then, a derived value): announce it
        }
        return reading;
    }

    /**
     * The first frame of a meter: its discovery and availability, published at once (its state follows at
     * the end of the interval).
     */
    public List<Message> announceFirst(Exchange exchange) throws InvalidPayloadException {
        remember(exchange);
        return announce(exchange);
    }

    /**
     * Sent before a state: the discovery of its meter when not announced yet (or an entity appeared), the
     * gateway's and the meter's availability when they changed.
     */
    public List<Message> announce(Exchange exchange) throws InvalidPayloadException {
        String meter = exchange.getMessage().getHeader(TicConstants.METER_NAME, String.class);
        if (meter == null) { // a route without the meter route's header: the body is still the reading
            meter = exchange.getMessage().getMandatoryBody(MeterReading.class).meterId();
        }
        List<Message> out = new ArrayList<>();
        Known k = known.get(meter);
        if (k != null && announced.putIfAbsent(meter, Boolean.TRUE) == null) {
            out.addAll(configs(meter, k));
        }
        String mine = prefix + "/" + meter + "/availability";
        out.addAll(changed(currentAvailability().stream().filter(m -> m.topic().equals(mine)
                || m.topic().equals(gatewayAvailabilityTopic())).toList()));
        return out;
    }

    /** True for the first frame of a meter in this run: its discovery and availability go out at once. */
    public boolean firstSeen(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        return seen.putIfAbsent(meterName(exchange, reading), Boolean.TRUE) == null;
    }

    /**
     * {@link #firstSeen} and {@link #due} as predicates, for the routes' {@code ref} language: a predicate is
     * called with the exchange itself, where a bean method call copies it (headers and properties) per frame.
     */
    public org.apache.camel.Predicate firstSeenPredicate() {
        return predicate(this::firstSeen);
    }

    /** See {@link #firstSeenPredicate}. */
    public org.apache.camel.Predicate duePredicate() {
        return predicate(this::due);
    }

    private interface Test {
        boolean test(Exchange exchange) throws InvalidPayloadException;
    }

    private static org.apache.camel.Predicate predicate(Test test) {
        return exchange -> {
            try {
                return test.test(exchange);
            } catch (InvalidPayloadException e) {
                throw new RuntimeCamelException(e);
            }
        };
    }

    /** True when the meter's state is due under its publishing policy ({@code tic.meter.<name>.publish*}). */
    public boolean due(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        return policy.due(meterName(exchange, reading), reading);
    }

    /** Records a failed publish (broker down). */
    public void publishFailed() {
        brokerFailing = true;
        failedAt = System.nanoTime();
    }

    /**
     * True while no publish ever succeeded and the last one failed less than {@link #RETRY_NANOS} ago: the
     * message is not tried. Until its first connection the producer is started by each message, so a broker
     * down when the gateway started would be connected to once per message; once connected, Paho reconnects
     * on its own at that pace and a publish while disconnected fails at once.
     */
    public org.apache.camel.Predicate brokerRestingPredicate() {
        return exchange -> !publishedOnce && brokerFailing && System.nanoTime() - failedAt < RETRY_NANOS;
    }

    /**
     * Records a successful publish; true when it is the first after failures (the broker came back, and may
     * have lost what it retained): the next state of every meter is then published whatever its policy.
     */
    public boolean publishSucceeded() {
        publishedOnce = true;
        boolean recovered = brokerFailing;
        brokerFailing = false;
        if (recovered) {
            policy.forget();
        }
        return recovered;
    }

    /**
     * Empty retained messages that remove what the meters no longer configured left on the broker: their
     * state and availability, and the discovery config of every entity they could have had (Home Assistant
     * deletes an entity whose config becomes empty).
     */
    /** True while meters removed from the configuration still have retained messages to clear. */
    public boolean hasRemovals() {
        return !store.removed().isEmpty();
    }

    /** Every removal message was published: the removed meters leave the saved state. */
    public void removalsPublished() {
        store.clearRemoved();
    }

    public List<Message> removals() {
        List<Message> out = new ArrayList<>();
        for (StateStore.RemovedMeter m : store.removed()) {
            out.add(new Message(prefix + "/" + m.name() + "/state", ""));
            out.add(new Message(prefix + "/" + m.name() + "/availability", ""));
            if (m.meterId() == null) {
                continue;
            }
            // the family only names unknown labels: their topics are the same whatever it is
            TicMode family = "historic".equals(m.family()) ? TicMode.HISTORIC
                    : "pmepmi".equals(m.family()) ? TicMode.PMEPMI : TicMode.STANDARD;
            List<String> entities = new ArrayList<>(m.labels());
            if (m.labels().contains("STGE")) {
                List.of("couleurJour", "couleurDemain", "depassementPuissance", "producteur")
                        .forEach(field -> entities.add("STGE." + field));
            }
            for (String entity : entities) {
                discovery.topics(family, m.meterId(), entity).forEach(topic -> out.add(new Message(topic, "")));
            }
        }
        return out;
    }

    /** Publishes only the meters {@code published} accepts (their family's sinks hold mqtt). */
    public void publishOnly(Predicate<String> published) {
        this.published = published;
    }

    private List<MeterState> publishedMeters() {
        return store.meters().stream().filter(m -> published.test(m.name())).toList();
    }

    /** Retained {@code offline} for the gateway and every meter: published at a clean stop. */
    public List<Message> offline() {
        List<Message> out = new ArrayList<>();
        out.add(new Message(gatewayAvailabilityTopic(), "offline"));
        for (MeterState m : publishedMeters()) {
            out.add(new Message(prefix + "/" + m.name() + "/availability", "offline"));
        }
        return out;
    }

    /** One message per label, {@code <prefix>/<meter>/<label>}: the trimmed value as sent. */
    public List<Message> perLabel(Exchange exchange) throws InvalidPayloadException {
        MeterReading reading = exchange.getMessage().getMandatoryBody(MeterReading.class);
        String meter = meterName(exchange, reading);
        List<Message> out = new ArrayList<>();
        // + and # are MQTT wildcards: NJOURF+1 is published as NJOURF_1
        reading.groups().values().forEach(r -> out.add(new Message(prefix + "/" + meter + "/"
                + r.label().replace('+', '_').replace('#', '_'), r.raw().trim())));
        return out;
    }

    private static String meterName(Exchange exchange, MeterReading reading) {
        return exchange.getMessage().getHeader(TicConstants.METER_NAME, reading.meterId(), String.class);
    }

    private static boolean present(MeterReading reading, String entity) {
        if (entity.startsWith("derived.")) {
            return reading.allDerived().containsKey(entity.substring(8));
        }
        int dot = entity.indexOf('.');
        return reading.groups().containsKey(dot > 0 ? entity.substring(0, dot) : entity);
    }

    /** Discovery configs of every meter seen: sent periodically, and when Home Assistant or the broker restarts. */
    public List<Message> discovery() {
        List<Message> out = new ArrayList<>();
        known.forEach((meter, k) -> {
            announced.put(meter, Boolean.TRUE);
            out.addAll(configs(meter, k));
        });
        return out;
    }

    /** The configs of a meter's entities; a flag's also empties the {@code sensor} config release 0.1.0 published. */
    private List<Message> configs(String meter, Known k) {
        List<Message> out = new ArrayList<>();
        for (String entity : k.entities()) {
            out.add(config(meter, k, entity));
            discovery.topics(k.family(), k.meterId(), entity).stream().skip(1)
                    .forEach(legacy -> out.add(new Message(legacy, "")));
        }
        return out;
    }

    /**
     * {@code online}/{@code offline} per meter (offline when its source is down or silent), and the
     * gateway's {@code online}: all of them ({@code all}), or only those that changed since last published.
     */
    public List<Message> availability(boolean all) {
        List<Message> out = currentAvailability();
        if (all) {
            out.forEach(message -> availabilitySent.put(message.topic(), message.payload()));
            return out;
        }
        return changed(out);
    }

    private List<Message> currentAvailability() {
        List<Message> out = new ArrayList<>();
        out.add(new Message(gatewayAvailabilityTopic(), "online"));
        long now = System.currentTimeMillis();
        for (MeterState m : publishedMeters()) {
            TicStatistics stats = m.statistics();
            boolean up = stats != null && now - m.updatedAt() < noDataMillis && (stats.isConnected() || stats.isFinished());
            out.add(new Message(prefix + "/" + m.name() + "/availability", up ? "online" : "offline"));
        }
        return out;
    }

    /** The messages whose payload differs from the one last published on their topic, now counted as published. */
    private List<Message> changed(List<Message> messages) {
        return messages.stream().filter(message -> !message.payload().equals(availabilitySent.put(message.topic(),
                message.payload()))).toList();
    }

    private Message config(String meter, Known k, String entity) {
        String unit = k.units().get(entity);
        LabelInfo info = entity.contains(".") ? null : LabelDictionary.of(k.family()).info(entity);
        boolean numeric = info != null && info.numeric() || entity.startsWith("derived.");
        Map<String, Object> payload = discovery.payload(meter, k.meterId(), k.family(), entity, unit, numeric);
        try {
            return new Message(discovery.topic(DiscoveryConfig.component(k.family(), entity), k.meterId(), entity),
                    ReadingJson.mapper().writeValueAsString(payload));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
