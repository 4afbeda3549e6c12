package io.ticgateway.app;

import io.ticgateway.protocol.TicMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The gateway's own configuration ({@code tic.*} keys): the meters, the sinks switched on, the folders.
 * Read the way Camel reads it (the user's file first, then the defaults in the jar, an environment
 * variable {@code TIC_MQTT_ENABLED} or a system property overriding {@code tic.mqtt.enabled}) and
 * checked before Camel starts, so that a bad value stops the start with one line naming the key.
 */
public final class GatewayConfig {

    /** The defaults bundled in the jar. */
    public static final String DEFAULTS = "application.properties";

    /** The sinks that can be switched on, by key {@code tic.<sink>.enabled}. */
    public static final List<String> SINKS = List.of("files", "influxdb", "influxdb2", "mqtt", "kafka");

    /** camel-main keys an environment variable may set though no file names them (where the secrets are). */
    private static final List<String> SECRET_LOCATIONS = List.of("camel.server.basicPropertiesFile",
            "camel.server.jwtKeystorePath", "camel.server.jwtKeystoreType", "camel.server.jwtKeystorePassword");

    /** The sinks that deliver through the store-and-forward spool. */
    public static final List<String> DURABLE_SINKS = List.of("influxdb", "influxdb2", "kafka");
    /** The Kafka producer's compression codecs ({@code tic.kafka.compression}). */
    static final List<String> KAFKA_CODECS = List.of("none", "lz4", "zstd", "snappy", "gzip");

    private final Properties properties;
    private final Function<String, String> environment;
    private final List<MeterConfig> meters;

    private GatewayConfig(Properties properties, Function<String, String> environment, Set<String> userKeys,
                          Set<String> knownKeys) {
        this.properties = properties;
        this.environment = environment;
        this.meters = readMeters();
        validateNumbers();
        rejectUnknownKeys(userKeys, knownKeys);
    }

    /**
     * Loads the defaults and the user's file (which wins), and checks them.
     *
     * @param userFile the user's properties file, or null
     * @throws ConfigException naming the key at fault
     */
    public static GatewayConfig load(Path userFile, Function<String, String> environment) {
        Properties props = new Properties();
        Set<String> userKeys = new TreeSet<>();
        try (InputStream in = GatewayConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in != null) {
                props.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the bundled defaults: " + e.getMessage());
        }
        if (userFile != null) {
            if (userFile.toString().isEmpty()) {
                throw new ConfigException("--config names no file");
            }
            if (!Files.exists(userFile)) {
                throw new ConfigException("configuration file " + userFile + " not found");
            }
            if (!Files.isRegularFile(userFile)) { // Camel reads it again for the routes' placeholders: not a pipe
                throw new ConfigException("configuration file " + userFile + " is not a regular file (a directory,"
                        + " a device or a pipe: the gateway and Camel both read it)");
            }
            try (Reader reader = Files.newBufferedReader(userFile, StandardCharsets.UTF_8)) {
                Properties user = new Properties();
                user.load(reader);
                props.putAll(user);
                userKeys.addAll(user.stringPropertyNames());
            } catch (java.nio.file.AccessDeniedException e) {
                throw new ConfigException("cannot read " + userFile + ": permission denied");
            } catch (IOException | IllegalArgumentException e) { // IllegalArgumentException: a malformed unicode escape
                throw new ConfigException("cannot read " + userFile + ": " + e.getMessage());
            }
        }
        Set<String> knownKeys = new TreeSet<>(props.stringPropertyNames());
        knownKeys.removeAll(userKeys);
        knownKeys.addAll(defaultKeys());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("tic.")).forEach(userKeys::add);
        return new GatewayConfig(props, environment, userKeys, knownKeys);
    }

    /** A key's value: system property, then environment variable (TIC_FOO_BAR), then the files. */
    public String get(String key) {
        String system = System.getProperty(key);
        if (system != null) {
            return system.trim();
        }
        String env = environment.apply(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        if (env != null) {
            return env.trim();
        }
        String value = properties.getProperty(key);
        return value == null ? null : value.trim();
    }

    /** A key's value, or {@code fallback} when unset or empty. */
    public String get(String key, String fallback) {
        String value = get(key);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** A boolean key. */
    public boolean flag(String key) {
        String value = get(key, "false");
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new ConfigException(key + ": expected true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    /** A whole-number key, checked. */
    public long number(String key, long fallback) {
        String value = get(key);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": not a whole number: '" + value + "'");
        }
    }

    /**
     * The {@code camel.*} and {@code tic.*} keys of the files that an environment variable or system property
     * overrides (camel-main itself does not apply such overrides to every group of keys, {@code camel.server.*}
     * among them; the routes' {@code {{tic.*}}} placeholders then read what this configuration read).
     */
    public Map<String, String> camelOverrides() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : SECRET_LOCATIONS) { // set from the environment only, never written in a shipped file
            String value = get(key);
            if (value != null && !value.isEmpty() && properties.getProperty(key) == null) {
                out.put(key, value);
            }
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("camel.") || key.startsWith("tic.")) {
                String value = get(key);
                if (value != null && !value.equals(properties.getProperty(key).trim())) {
                    out.put(key, value);
                }
            }
        }
        return out;
    }

    /** The meters declared by {@code tic.meters}. */
    public List<MeterConfig> meters() {
        return meters;
    }

    /** True when the sink's {@code tic.<sink>.enabled} is true. */
    public boolean sinkEnabled(String sink) {
        return flag("tic." + sink + ".enabled");
    }

    /** The files sink writes CSV rows too ({@code tic.files.csv}): counted as their own sink, {@code csv}. */
    public boolean csvEnabled() {
        return sinkEnabled("files") && flag("tic.files.csv");
    }

    /** Folder of the shipped YAML routes: {@code tic.routes.dir}; the jar's copy when it holds no {@code core/}. */
    public String routesLocation() {
        String dir = get("tic.routes.dir", "routes");
        if (Files.isDirectory(Path.of(dir, "core"))) {
            return "file:" + dir;
        }
        return "classpath:routes";
    }

    /** The route files Camel loads: core, the families, and the sinks switched on. */
    public String routesIncludePattern() {
        String base = routesLocation();
        List<String> patterns = new ArrayList<>();
        patterns.add(base + "/core/*.yaml");
        patterns.add(base + "/families/*.yaml");
        patterns.add(base + "/sinks/rest.yaml");
        // custom routes from the folder, even when the shipped ones come from the jar (a folder holding
        // custom/ alone); Camel's YAML loader reads *.yaml only (GatewayMain warns of other files there)
        String dir = get("tic.routes.dir", "routes");
        if (Files.isDirectory(Path.of(dir, "custom"))) {
            patterns.add("file:" + dir + "/custom/*.yaml");
        }
        if (flag("tic.central.enabled")) {
            patterns.add(base + "/central/*.yaml");
        }
        for (String sink : SINKS) {
            if (sinkEnabled(sink)) {
                patterns.add(base + "/sinks/" + sink + ".yaml");
            }
        }
        return String.join(",", patterns);
    }

    private List<MeterConfig> readMeters() {
        String list = get("tic.meters", "");
        if (list.isBlank() && flag("tic.central.enabled")) {
            return List.of(); // a central ingest needs no meter
        }
        if (list.isBlank()) {
            throw new ConfigException("tic.meters: no meter declared (e.g. tic.meters=home and"
                    + " tic.meter.home.source=tic:serial:/dev/ttyUSB0)");
        }
        Map<String, MeterConfig> byName = new LinkedHashMap<>();
        for (String raw : list.split(",")) {
            String name = raw.trim();
            if (!name.matches("[A-Za-z0-9_-]+")) {
                throw new ConfigException("tic.meters: meter name '" + name + "' may hold only letters, digits, - and _");
            }
            String prefix = "tic.meter." + name + ".";
            String source = get(prefix + "source");
            if (source == null || source.isBlank()) {
                throw new ConfigException(prefix + "source: required (e.g. tic:serial:/dev/ttyUSB0)");
            }
            if (!source.startsWith("tic:")) {
                throw new ConfigException(prefix + "source: must be a tic: URI, was '" + source + "'");
            }
            String familyText = get(prefix + "family");
            if (familyText == null || familyText.isBlank()) {
                throw new ConfigException(prefix + "family: required: standard, historic or pmepmi");
            }
            TicMode family;
            try {
                family = TicMode.valueOf(familyText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(prefix + "family: unknown family '" + familyText
                        + "' (expected standard, historic or pmepmi)");
            }
            if (flag("tic.simulate")) {
                source = simulated(source, family, name, byName.values());
            }
            String sameSource = source;
            MeterConfig twin = byName.values().stream().filter(m -> m.source().equals(sameSource)).findFirst().orElse(null);
            if (twin != null) {
                // one endpoint per URI: the second meter's route would never start
                throw new ConfigException(prefix + "source: the same as tic.meter." + twin.name() + ".source ('" + source
                        + "'): one source, one meter (for two simulated meters of a kind, add ?name=" + name + ")");
            }
            if (byName.put(name, new MeterConfig(name, source, family)) != null) {
                throw new ConfigException("tic.meters: meter '" + name + "' declared twice");
            }
        }
        return List.copyOf(byName.values());
    }

    private static final String SIMULATOR = "tic:simulator:";

    /**
     * {@code tic.simulate=true}: a meter's simulated source, in real time: the simulated meter it names if
     * it is one already (a three-phase, a producer), else its family's; two meters playing the same simulated
     * meter get ids of their own (one Home Assistant device each).
     */
    static String simulated(String source, TicMode family, String name, java.util.Collection<MeterConfig> before) {
        String kind = source.startsWith(SIMULATOR) ? source.substring(SIMULATOR.length()).split("\\?")[0] : null;
        String uri = (kind == null ? simulatorOf(family) : SIMULATOR + kind + "?pace=realtime") + "&name=" + name;
        String prefix = uri.substring(0, uri.indexOf('?') + 1);
        if (before.stream().anyMatch(m -> m.source().startsWith(prefix))) {
            uri += "&meterId=" + String.format("%012d", Math.floorMod((long) name.hashCode(), 1_000_000_000_000L));
        }
        return uri;
    }

    /** The simulated meter of a family, in real time. */
    static String simulatorOf(TicMode family) {
        return "tic:simulator:" + switch (family) {
            case STANDARD -> "linky-standard";
            case HISTORIC -> "linky-historic";
            case PMEPMI -> "pmepmi";
        } + "?pace=realtime";
    }

    private void validateNumbers() {
        for (String key : List.of("tic.influxdb.batch-interval", "tic.influxdb2.batch-interval", "tic.kafka.batch-interval",
                "tic.mqtt.interval", "tic.mqtt.discovery-interval", "tic.state.save-interval", "camel.server.port",
                "tic.spool.max-age-hours", "tic.files.max-age-days", "tic.files.max-size-mb")) {
            long v = number(key, 0);
            if (v < 0) {
                throw new ConfigException(key + ": must not be negative, was " + v);
            }
        }
        for (String key : List.of("tic.sink.queue-size", "tic.influxdb.batch-size", "tic.influxdb2.batch-size",
                "tic.kafka.batch-size", "tic.spool.max-size-mb", "tic.spool.sync-interval", "tic.spool.catch-up-batch-size", "tic.spool.max-retry-delay",
                "tic.influxdb.retry-delay", "tic.influxdb2.retry-delay", "tic.kafka.retry-delay", "tic.central.batch-size",
                "tic.central.consumers", "tic.central.batch-interval", "tic.central.retry-delay", "tic.central.session-timeout",
                "tic.central.heartbeat-interval", "tic.mqtt.connection-timeout", "tic.kafka.request-timeout",
                "tic.kafka.delivery-timeout")) {
            long v = number(key, 1);
            if (v < 1) {
                throw new ConfigException(key + ": must be at least 1, was " + v);
            }
        }
        // sizes, counts and timeouts the gateway and its libraries hold as int
        for (String key : List.of("tic.sink.queue-size", "tic.influxdb.batch-size", "tic.influxdb2.batch-size",
                "tic.kafka.batch-size", "tic.spool.catch-up-batch-size", "tic.central.batch-size", "tic.central.consumers",
                "tic.central.session-timeout", "tic.central.heartbeat-interval", "tic.mqtt.connection-timeout",
                "tic.files.max-age-days", "tic.kafka.request-timeout", "tic.kafka.delivery-timeout")) {
            long v = number(key, 1);
            if (v > Integer.MAX_VALUE) {
                throw new ConfigException(key + ": must be at most " + Integer.MAX_VALUE + ", was " + v);
            }
        }
        for (String sink : SINKS) {
            flag("tic." + sink + ".enabled");
        }
        PublishPolicy.of(this); // tic.mqtt.publish*, tic.mqtt.threshold.*, tic.meter.<name>.publish*
        String language = get("tic.mqtt.language", "fr");
        if (!language.equals("fr") && !language.equals("en")) {
            throw new ConfigException("tic.mqtt.language: expected fr or en, was '" + language + "'");
        }
        if (JsonLinesFiles.parse(get("tic.files.format", "full")) == null) {
            throw new ConfigException("tic.files.format: expected full or compact, was '" + get("tic.files.format", "") + "'");
        }
        for (String sink : List.of("influxdb", "influxdb2")) {
            if (sinkEnabled(sink)) {
                url("tic." + sink + ".url", List.of("http", "https"), "an http(s)://host:port URL");
            }
        }
        if (sinkEnabled("mqtt")) {
            // the schemes Paho takes
            url("tic.mqtt.url", List.of("tcp", "ssl", "ws", "wss"), "a tcp://, ssl://, ws:// or wss://host:port URL");
        }
        if (sinkEnabled("kafka")) {
            for (String broker : get("tic.kafka.brokers", "").split(",")) {
                hostPort("tic.kafka.brokers", broker.trim());
            }
            // the producer refuses to start when a send could not last one request (and its 5 ms linger)
            long request = number("tic.kafka.request-timeout", 10_000);
            long delivery = number("tic.kafka.delivery-timeout", 15_000);
            if (delivery < request + 5) {
                throw new ConfigException("tic.kafka.delivery-timeout: must be at least tic.kafka.request-timeout + 5 ("
                        + (request + 5) + "), was " + delivery);
            }
            String codec = get("tic.kafka.compression", "lz4");
            if (!KAFKA_CODECS.contains(codec)) {
                throw new ConfigException("tic.kafka.compression: expected " + String.join(", ", KAFKA_CODECS)
                        + ", was '" + codec + "'");
            }
        }
        if (flag("tic.central.enabled")) {
            String sink = get("tic.central.sink", "influxdb");
            if (!sink.equals("influxdb") && !sink.equals("influxdb2")) {
                throw new ConfigException("tic.central.sink: expected influxdb or influxdb2, was '" + sink + "'");
            }
            if (!sinkEnabled(sink)) {
                throw new ConfigException("tic.central.sink: " + sink + " is not enabled (tic." + sink + ".enabled=true)");
            }
        }
    }

    /** One host:port of a list, the port 1-65535. */
    private static void hostPort(String key, String value) {
        int colon = value.lastIndexOf(':');
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(value.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (port < 1 || port > 65_535) {
            throw new ConfigException(key + ": expected host:port[,host:port...], the port 1-65535: '" + value + "'");
        }
    }

    /**
     * A URL with one of {@code schemes}, a host and a port 1-65535 when given; else one line naming the key
     * and {@code expected} ("an http(s)://host:port URL").
     */
    private void url(String key, List<String> schemes, String expected) {
        String value = get(key, "");
        try {
            java.net.URI uri = new java.net.URI(value);
            if (!schemes.contains(String.valueOf(uri.getScheme())) || uri.getHost() == null || uri.getPort() > 65_535) {
                throw new java.net.URISyntaxException(value, "expected " + expected);
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(key + ": not " + expected + ": '" + value + "'");
        }
    }

    private static Set<String> defaultKeys() {
        Properties defaults = new Properties();
        try (InputStream in = GatewayConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            if (in != null) {
                defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the bundled defaults: " + e.getMessage());
        }
        return defaults.stringPropertyNames();
    }

    /**
     * A {@code tic.*} key the gateway does not know (a typo: {@code tic.influxdb.enable}) stops the start with
     * the closest known key; the meters' own {@code tic.meter.<name>.source|family} keys are known.
     */
    private void rejectUnknownKeys(Set<String> userKeys, Set<String> knownKeys) {
        Set<String> known = new TreeSet<>(knownKeys);
        for (MeterConfig m : meters) {
            known.add("tic.meter." + m.name() + ".source");
            known.add("tic.meter." + m.name() + ".family");
            known.addAll(PublishPolicy.meterKeys(m.name()));
        }
        for (String key : userKeys) {
            java.util.regex.Matcher meterKey = java.util.regex.Pattern.compile("tic\\.meter\\.([^.]+)\\.(source|family)").matcher(key);
            if (meterKey.matches() && !known.contains(key)) {
                throw new ConfigException(key + ": meter '" + meterKey.group(1) + "' is not in tic.meters (" + get("tic.meters", "")
                        + ")");
            }
            if (key.startsWith("tic.") && !known.contains(key)) {
                String closest = known.stream().min(java.util.Comparator.comparingInt(k -> distance(k, key))).orElse("");
                String generic = closest.replaceAll("^tic\\.meter\\.[^.]+\\.", "tic.meter.<name>.");
                throw new ConfigException(key + ": unknown key (did you mean " + generic + "?)");
            }
        }
    }

    /** Levenshtein distance: the number of single-character edits from one key to the other. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** A configuration error: its message names the key. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
