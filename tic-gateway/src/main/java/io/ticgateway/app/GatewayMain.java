package io.ticgateway.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.ticgateway.app.GatewayConfig.ConfigException;
import io.ticgateway.app.delivery.CentralIngest;
import io.ticgateway.app.delivery.CentralWatch;
import io.ticgateway.app.delivery.DurableDelivery;
import io.ticgateway.app.delivery.Influx2Writer;
import io.ticgateway.app.delivery.InfluxWriter;
import io.ticgateway.app.delivery.KafkaRecords;
import io.ticgateway.app.delivery.SinkCounters;
import io.ticgateway.app.http.ClientErrorLog;
import io.ticgateway.app.http.HttpEdge;
import io.ticgateway.app.delivery.Spool;
import io.ticgateway.app.status.MeterWatch;
import io.ticgateway.camel.TicEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway: camel-main with the YAML routes of {@code routes/}, one templated route per configured
 * meter, the family route of each, and the sinks the configuration switches on.
 */
public final class GatewayMain {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

    private final GatewayConfig config;
    private final Path configFile;
    private final StateStore store = new StateStore();
    private final SinkCounters counters = new SinkCounters();
    /** The InfluxDB clients' HTTP calls: a stop cancels those still running at its deadline. */
    private final okhttp3.Dispatcher influxCalls = new okhttp3.Dispatcher();
    /** Counted down once the run's outcome is reported: until then a shutdown hook holds the JVM's exit. */
    private final CountDownLatch reported = new CountDownLatch(1);
    private Thread holdExit;
    private final Map<String, Long> spoolLeft = new LinkedHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private DurableDelivery delivery;
    private HomeAssistant homeAssistant;
    private BoundedMqttComponent mqtt;
    private FilesRetention retention;
    private JsonLinesFiles filesWriter;
    private Main main;

    /**
     * Reads and checks the configuration.
     *
     * @param configFile the user's {@code application.properties}, or null for the embedded default
     * @throws ConfigException with one line naming the key at fault
     */
    public GatewayMain(Path configFile, Function<String, String> environment) {
        this.configFile = configFile;
        this.config = GatewayConfig.load(configFile, environment);
        StartupChecks.run(config);
    }

    /** The checked configuration. */
    public GatewayConfig config() {
        return config;
    }

    /** The meters' latest state. */
    public StateStore store() {
        return store;
    }

    /** What each sink delivered, failed and dropped, for tests. */
    public SinkCounters sinkCounters() {
        return counters;
    }

    /** The store-and-forward delivery (after {@link #start}), for tests. */
    public DurableDelivery delivery() {
        return delivery;
    }

    /** The running CamelContext (after {@link #start}), for tests. */
    public CamelContext camelContext() {
        return main == null ? null : main.getCamelContext();
    }

    /** Builds camel-main with the routes, beans and meters of the configuration. */
    Main build() {
        Main m = new Main();
        List<String> locations = new ArrayList<>();
        if (configFile != null) {
            locations.add("file:" + configFile.toAbsolutePath());
        }
        locations.add("classpath:" + GatewayConfig.DEFAULTS);
        m.setPropertyPlaceholderLocations(String.join(",", locations));
        m.configure().withRoutesIncludePattern(config.routesIncludePattern());
        warnOfFilesNotRead(Path.of(config.get("tic.routes.dir", "routes"), "custom"));
        config.camelOverrides().forEach(m::addOverrideProperty);
        store.setFile(config.get("tic.state.file"));
        store.restore(config.meters().stream().map(MeterConfig::name).toList());
        try {
            delivery = new DurableDelivery(Path.of(config.get("tic.spool.file", "data/spool/spool.db")), durableSinks(),
                    counters, config.number("tic.spool.max-size-mb", 256) * 1024 * 1024,
                    config.number("tic.spool.max-age-hours", 168) * 3_600_000L, config.number("tic.spool.sync-interval", 1000),
                    config.number("tic.spool.max-retry-delay", 30_000));
        } catch (Spool.SpoolException e) {
            if (String.valueOf(e.getMessage()).contains("SQLITE_BUSY")) { // held by another process: may pass
                throw new BusyException("tic.spool.file: " + e.getMessage()
                        + ": another process holds it (another gateway on the same file, or sqlite3)");
            }
            if (Spool.isDiskFailure(e)) { // a full disk: may pass once room is made
                throw new BusyException("tic.spool.file: " + e.getMessage() + ": its disk is full or failing");
            }
            throw new ConfigException("tic.spool.file: " + e.getMessage());
        }
        FamilySinks familySinks = new FamilySinks(config);
        delivery.routeBy(familySinks::allows);
        m.bind("familySinks", familySinks);
        m.bind("stateStore", store);
        m.bind("sinkCounters", counters);
        m.bind("durableDelivery", delivery);
        ClientErrorLog clientErrors = new ClientErrorLog();
        MeterWatch watch = new MeterWatch(config.meters(), name -> {
            MeterState state = store.meter(name);
            return state == null ? null : state.reading();
        });
        m.bind("meterWatch", watch);
        m.bind("restApi", new RestApi(store, counters, delivery, clientErrors, watch));
        // health is served by HttpEdge (Camel's endpoint escapes messages twice); metrics stay Camel's
        m.addOverrideProperty("camel.management.healthCheckEnabled", "false");
        m.bind("frameCsv", new FrameCsv(Path.of(config.get("tic.files.dir", "data/frames"))));
        m.bind("clockSync", new ClockSync(config.get("tic.clock.sync-file", "")));
        if (config.sinkEnabled("files")) {
            retention = new FilesRetention(Path.of(config.get("tic.files.dir", "data/frames")),
                    (int) config.number("tic.files.max-age-days", 0), config.number("tic.files.max-size-mb", 0) * 1024 * 1024,
                    config.flag("tic.files.gzip"));
            m.bind("filesRetention", retention);
            filesWriter = new JsonLinesFiles(Path.of(config.get("tic.files.dir", "data/frames")),
                    JsonLinesFiles.parse(config.get("tic.files.format", "full")), counters);
            m.bind("jsonLinesFiles", filesWriter);
        }
        if (config.sinkEnabled("influxdb")) {
            m.bind("influxWriter", new InfluxWriter(() -> InfluxClients.connect(config.get("tic.influxdb.url"),
                    config.get("tic.influxdb.username"), config.get("tic.influxdb.password"), influxCalls),
                    config.get("tic.influxdb.database", "tic"), config.get("tic.influxdb.retention-policy", "")));
        }
        if (config.sinkEnabled("kafka")) {
            m.bind("kafkaRecords", new KafkaRecords());
        }
        if (config.flag("tic.central.enabled")) {
            m.bind("centralIngest", new CentralIngest(config.get("tic.central.sink", "influxdb"), counters));
            m.bind("centralWatch", new CentralWatch(config.get("tic.central.brokers", "")));
        }
        if (config.sinkEnabled("influxdb2")) {
            m.bind("influx2Writer", new Influx2Writer(InfluxClients.connect2(config.get("tic.influxdb2.url"),
                    config.get("tic.influxdb2.token", ""), influxCalls), config.get("tic.influxdb2.org"),
                    config.get("tic.influxdb2.bucket")));
        }
        // the MQTT endpoints' TLS (tic.mqtt.tls.*): a socket factory for ssl:// URLs, none for tcp://
        String mqttUrl = config.get("tic.mqtt.url", "");
        if (config.sinkEnabled("mqtt") && mqttUrl.startsWith("ssl://")) {
            m.bind("mqttSocketFactory", MqttTls.socketFactory(config.get("tic.mqtt.tls.ca"), config.get("tic.mqtt.tls.cert"),
                    config.get("tic.mqtt.tls.key")));
            m.addOverrideProperty("tic.mqtt.socket-options", "&socketFactory=#mqttSocketFactory");
        } else {
            m.addOverrideProperty("tic.mqtt.socket-options", "");
        }
        // the aggregation's interval: tic.mqtt.interval = 0 publishes per frame, and the route's choice (decided
        // at start) leaves the aggregation out; the placeholder still needs a valid value then
        long mqttInterval = config.number("tic.mqtt.interval", 10_000);
        // the codec as checked: an empty value is the default, where the route's placeholder would get it empty
        m.addOverrideProperty("tic.kafka.compression", config.get("tic.kafka.compression", "lz4"));
        m.addOverrideProperty("tic.mqtt.per-frame", String.valueOf(mqttInterval == 0));
        m.addOverrideProperty("tic.mqtt.aggregation-interval", String.valueOf(mqttInterval == 0 ? 3_600_000 : mqttInterval));
        if (config.sinkEnabled("mqtt")) {
            // every wait for the broker bounded: a broker that takes the connection and never answers is one down
            mqtt = new BoundedMqttComponent(config.number("tic.mqtt.connection-timeout", 10_000));
            m.bind("paho-mqtt5", mqtt);
            homeAssistant = new HomeAssistant(store, config.get("tic.mqtt.prefix", "tic"),
                    config.get("tic.mqtt.discovery-prefix", "homeassistant"), config.get("tic.mqtt.language", "fr"),
                    PublishPolicy.of(config), config.number("tic.meter.no-data-timeout", 60_000));
            homeAssistant.publishOnly(meter -> familySinks.allows(meter, "mqtt"));
            store.keepRemovedUntilCleared(true);
            m.bind("homeAssistant", homeAssistant);
            m.bind("mqttFirstSeen", homeAssistant.firstSeenPredicate());
            m.bind("mqttDue", homeAssistant.duePredicate());
            m.bind("mqttBrokerResting", homeAssistant.brokerRestingPredicate());
        }
        m.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                store.setMetrics(registry);
                if (filesWriter != null) {
                    try {
                        context.addService(filesWriter); // stopped after the routes: the last lines written out
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                if (registry != null) {
                    List<String> sinks = new ArrayList<>(GatewayConfig.SINKS.stream().filter(config::sinkEnabled).toList());
                    if (config.csvEnabled()) {
                        sinks.add("csv");
                    }
                    counters.setRegistry(registry, sinks);
                    if (retention != null) {
                        retention.setRegistry(registry);
                    }
                    delivery.registerMetrics(registry);
                }
                // the spool drains through the sinks' write routes: once every route runs
                addStartupListener(context, new ExtendedStartupListener() {
                    @Override
                    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                        // called as each route starts, the meters' last: until their readers run, no frame is routed
                        ignoreExchangeEvents(started, !metersReading(started));
                    }

                    @Override
                    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                        int port = (int) config.number("camel.server.port", 8080);
                        if (config.flag("camel.server.enabled") && !new HttpEdge(clientErrors).install(started, port)) {
                            throw new IllegalStateException("the HTTP server of port " + port + " has no router");
                        }
                        refuseRoutesThatCannotEverStart(started);
                        for (MeterConfig meter : config.meters()) { // their counters before their first frame
                            TicEndpoint source = MeterWatch.endpoint(started, meter.name());
                            if (source != null) {
                                store.registerMeterCounters(meter.name(), source.getStatistics());
                            }
                        }
                        ignoreExchangeEvents(started, false); // the few notifiers added since
                        delivery.start(started.createProducerTemplate());
                    }
                });
                for (MeterConfig meter : config.meters()) {
                    TemplatedRouteBuilder.builder(context, "tic-meter").routeId("meter-" + meter.name())
                            .parameter("name", meter.name()).parameter("source", withNoDataTimeout(meter.source()))
                            .parameter("family", meter.family().id()).parameter("sinks", familySinks.delimited(meter.name()))
                            .parameter("replay", String.valueOf(meter.source().trim().matches("tic:(//)?file:.*"))).add();
                    LOG.info("Meter {} ({}) from {}", meter.name(), meter.family().id(), meter.source());
                }
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                String host = config.get("camel.server.host", "0.0.0.0");
                host = host.contains(":") ? "[" + host + "]" : host;
                String port = config.get("camel.server.port", "8080");
                LOG.info("TIC Gateway running: http://{}:{}/ (API /api/meters, Zabbix /get_*, /zabbix_autoconf,"
                        + " health /observe/health, metrics /observe/metrics{})  sinks: {}", host, port,
                        config.flag("camel.server.authenticationEnabled") ? ", authentication on" : "", enabledSinks());
            }

            @Override
            public void beforeStop(BaseMainSupport support) {
                stopDelivery(support.getCamelContext());
            }

            @Override
            public void afterStop(BaseMainSupport support) {
                LOG.info("TIC Gateway stopped: {}", spoolLeft.isEmpty() ? "nothing waits in the spool"
                        : "left in the spool for the next start " + spoolLeft);
            }
        });
        return m;
    }

    /**
     * A start that may succeed later, once another process let go of what it holds or room was made on a disk
     * (exit status 1: retried).
     */
    public static final class BusyException extends RuntimeException {
        public BusyException(String message) {
            super(message);
        }
    }

    /** Whether a meter's reader has started (its route's consumer): from then on frames may be routed. */
    private boolean metersReading(CamelContext context) {
        return config.meters().stream().map(meter -> context.getRoute("meter-" + meter.name()))
                .anyMatch(route -> route != null && route.getConsumer() != null
                        && org.apache.camel.support.service.ServiceHelper.isStarted(route.getConsumer()));
    }

    /**
     * Micrometer's route notifier counts routes only, but by default asks for every exchange's events too:
     * Camel then creates and dispatches several events per exchange and step for nobody. Once no notifier
     * wants them, Camel is told so (its own switch for that, checked per step).
     */
    private static void ignoreExchangeEvents(CamelContext context, boolean removeStartupNotifiers) {
        boolean wanted = false;
        org.apache.camel.spi.ManagementStrategy management = context.getManagementStrategy();
        for (org.apache.camel.spi.EventNotifier notifier : List.copyOf(management.getEventNotifiers())) {
            // camel-main's HTTP summary (one notifier per REST route, logged at start: silenced in log4j2.properties)
            // and placeholder summary serve the start only, yet Camel walks every notifier at each asynchronous
            // step of every frame (EventHelper.notifyExchangeAsyncProcessingStartedEvent): 41 of them, a sixth
            // of the reader thread (JFR, docs/performance.md). Removed only before the meters' readers start:
            // Camel walks the list by index, and one removed while a frame was routed failed that frame (which
            // was lost); the few added later are told to ignore exchanges
            String type = notifier.getClass().getName();
            if (type.startsWith("org.apache.camel.component.platform.http.main.MainHttpServerUtil")
                    || type.startsWith("org.apache.camel.main.BaseMainSupport$PlaceholderSummaryEventNotifier")) {
                if (removeStartupNotifiers) {
                    management.removeEventNotifier(notifier);
                    continue;
                }
                notifier.setIgnoreExchangeEvents(true);
            }
            if (notifier instanceof org.apache.camel.component.micrometer.eventnotifier.MicrometerRouteEventNotifier) {
                notifier.setIgnoreExchangeEvents(true);
            }
            wanted |= !notifier.isIgnoreExchangeEvents();
        }
        if (!wanted) {
            context.getCamelContextExtension().setEventNotificationApplicable(false);
        }
    }

    /**
     * The meter's source with {@code tic.meter.no-data-timeout} as its {@code noDataTimeout} (readiness turns
     * DOWN after that long without a valid frame), unless the URI sets its own.
     */
    String withNoDataTimeout(String source) {
        if (source.contains("noDataTimeout=")) {
            return source;
        }
        return source + (source.contains("?") ? "&" : "?") + "noDataTimeout=" + config.number("tic.meter.no-data-timeout", 60_000);
    }

    /** A file in routes/custom/ Camel will not read (route.yml): said once at start, not silently skipped. */
    private static void warnOfFilesNotRead(Path custom) {
        if (!java.nio.file.Files.isDirectory(custom)) {
            return;
        }
        try (var files = java.nio.file.Files.list(custom)) {
            files.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".yaml") && !n.equals("README.md"))
                    .forEach(n -> LOG.warn("{}: not read (routes/custom/ loads *.yaml files only)", custom.resolve(n)));
        } catch (java.io.IOException e) {
            LOG.warn("{}: cannot list: {}", custom, e.getMessage());
        }
    }

    /**
     * Two routes consuming one endpoint (two custom routes from direct:custom-standard): the second would
     * never start (the supervising controller retrying it every few seconds while its frames go nowhere),
     * so a start-up error naming both.
     */
    private static void refuseRoutesThatCannotEverStart(CamelContext context) {
        Map<String, String> consumers = new LinkedHashMap<>();
        for (org.apache.camel.Route route : context.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            String first = consumers.putIfAbsent(uri, route.getRouteId());
            if (first != null && !first.equals(route.getRouteId())) {
                throw new IllegalStateException("routes " + first + " and " + route.getRouteId() + " both consume " + uri
                        + ": one route per endpoint (Multiple consumers for the same endpoint is not allowed)");
            }
        }
    }

    private static void addStartupListener(CamelContext context, ExtendedStartupListener listener) {
        try {
            context.addStartupListener(listener);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the spool's start", e);
        }
    }

    /**
     * Graceful stop, while the routes still run: the spool delivers what half the shutdown timeout allows
     * (the rest stays on disk), MQTT says retained {@code offline} for the gateway and every meter, the state
     * is saved.
     */
    private void stopDelivery(CamelContext context) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        counters.stopping();
        long budget = config.number("camel.main.shutdown-timeout", 10) * 1000 / 2;
        long deadline = System.currentTimeMillis() + budget;
        if (mqtt != null) {
            // a connection waiting for a silent broker holds the route controller's lock the meters' stop needs
            mqtt.abortConnecting();
        }
        // no new frame from here on: every frame read is in the spool or a queue before it closes
        delivery.beginStop();
        for (MeterConfig meter : config.meters()) {
            try {
                context.getRouteController().stopRoute("meter-" + meter.name(), Math.max(1, budget / 1000),
                        TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Stopping meter-{}: {}", meter.name(), e.getMessage());
            }
        }
        Map<String, Long> left = stopBy(deadline, () -> delivery.stop(deadline));
        left.forEach((sink, n) -> {
            if (n > 0) {
                spoolLeft.put(sink, n);
            }
        });
        if (homeAssistant != null) {
            List<HomeAssistant.Message> offline = homeAssistant.offline();
            long before = counters.deliveredCount("mqtt");
            try (ProducerTemplate template = context.createProducerTemplate()) {
                for (HomeAssistant.Message message : offline) {
                    template.sendBody("direct:mqtt-retained", message); // a failure is counted by the route
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.debug("Publishing offline at stop: {}", e.getMessage());
            }
            long published = counters.deliveredCount("mqtt") - before;
            if (published < offline.size()) {
                LOG.warn("Could not publish offline to MQTT at stop ({} of {} availability messages; broker down?):"
                        + " Home Assistant keeps the last availability it got", offline.size() - published, offline.size());
            }
        }
        store.save();
    }

    /**
     * Runs the delivery's stop, and cancels the InfluxDB calls still running at the deadline: a server that
     * accepts a batch and does not answer would hold the stop for the client's read timeout (10 s) past it.
     * The batch of a cancelled call stays in the spool.
     */
    private Map<String, Long> stopBy(long deadline, java.util.function.Supplier<Map<String, Long>> stop) {
        Thread cut = new Thread(() -> {
            try {
                Thread.sleep(Math.max(0, deadline - System.currentTimeMillis()));
                influxCalls.cancelAll();
            } catch (InterruptedException stoppedInTime) {
                // nothing to cancel
            }
        }, "tic-stop-deadline");
        cut.setDaemon(true);
        cut.start();
        try {
            return stop.get();
        } finally {
            cut.interrupt();
        }
    }

    /**
     * The enabled sinks that deliver through the spool, with their batch settings; none without a meter (a
     * central ingest: its frames wait in Kafka, no spool file).
     */
    private List<DurableDelivery.SinkSettings> durableSinks() {
        List<DurableDelivery.SinkSettings> out = new ArrayList<>();
        if (config.meters().isEmpty()) {
            return out;
        }
        for (String sink : GatewayConfig.DURABLE_SINKS) {
            if (config.sinkEnabled(sink)) {
                String p = "tic." + sink + ".";
                out.add(new DurableDelivery.SinkSettings(sink, (int) config.number(p + "batch-size", 100),
                        (int) config.number("tic.spool.catch-up-batch-size", 5000), config.number(p + "batch-interval", 5000),
                        config.number(p + "retry-delay", 2000)));
            }
        }
        return out;
    }

    private List<String> enabledSinks() {
        List<String> sinks = new ArrayList<>(List.of("rest"));
        for (String sink : GatewayConfig.SINKS) {
            if (config.sinkEnabled(sink)) {
                sinks.add(sink);
            }
        }
        return sinks;
    }

    /**
     * Runs until stopped (Ctrl-C, SIGTERM). Camel's shutdown hook returns once the context is stopped, and the
     * JVM then exits without waiting for this thread: a hook of ours holds the exit until {@link #reported}
     * says that the run's last words are out (the closing line with what waits in the spool, or the start-up
     * error), at most the shutdown timeout and 15 s, as long as Camel's own hook waits.
     */
    public void run() throws Exception {
        // Vert.x (the HTTP server) serves no file from the class path here: without that it keeps no file cache,
        // and adds no shutdown hook of its own, which failed the start with a stack trace under a SIGTERM
        System.setProperty("vertx.disableFileCPResolving", System.getProperty("vertx.disableFileCPResolving", "true"));
        main = build();
        long bound = config.number("camel.main.shutdown-timeout", 10) + 15;
        holdExit = new Thread(() -> {
            try {
                reported.await(bound, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tic-gateway-stop");
        Runtime.getRuntime().addShutdownHook(holdExit);
        try {
            main.run();
        } catch (Exception e) {
            main.completed(); // else Camel's hook, at the exit that follows, logs a SIGTERM that never came
            throw e;
        }
    }

    /** The outcome of {@link #run} is reported: the JVM may exit. */
    public void reported() {
        reported.countDown();
        if (holdExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(holdExit);
            } catch (IllegalStateException exiting) {
                // the hook runs already, and returns now
            }
        }
    }

    /** True once the JVM has begun to exit (a signal): a start that fails then was cut short, not wrong. */
    public static boolean jvmExiting() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }

    /** Starts in the background (tests). */
    public void start() throws Exception {
        main = build();
        main.start();
    }

    /** Stops a gateway started with {@link #start}. */
    public void stop() throws Exception {
        if (main != null) {
            stopDelivery(main.getCamelContext());
            main.stop();
            main.shutdown();
        }
    }
}
