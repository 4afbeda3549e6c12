package io.ticgateway.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.ticgateway.app.GatewayConfig.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.service.ServiceHelper;
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
        checkSources();
    }

    /** The checked configuration. */
    public GatewayConfig config() {
        return config;
    }

    /** The meters' latest state. */
    public StateStore store() {
        return store;
    }

    /** The running CamelContext (after {@link #start}), for tests. */
    public CamelContext camelContext() {
        return main == null ? null : main.getCamelContext();
    }

    /** Every meter's source URI must resolve, with its options, before anything starts. */
    private void checkSources() {
        DefaultCamelContext probe = new DefaultCamelContext();
        try {
            probe.getPropertiesComponent().setLocation("classpath:" + GatewayConfig.DEFAULTS + ";optional=true");
            for (MeterConfig meter : config.meters()) {
                try {
                    ServiceHelper.initService(probe.getEndpoint(meter.source()));
                } catch (RuntimeException e) {
                    Throwable cause = e;
                    while (cause.getCause() != null && cause.getCause() != cause) {
                        cause = cause.getCause();
                    }
                    throw new ConfigException("tic.meter." + meter.name() + ".source: " + cause.getMessage());
                }
            }
        } finally {
            probe.stop();
        }
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
        config.camelOverrides().forEach(m::addOverrideProperty);
        store.setFile(config.get("tic.state.file"));
        store.restore();
        m.bind("stateStore", store);
        m.bind("restApi", new RestApi(store));
        m.bind("frameCsv", new FrameCsv());
        if (config.sinkEnabled("influxdb")) {
            m.bind("influxConnection", InfluxClients.connect(config.get("tic.influxdb.url"),
                    config.get("tic.influxdb.username"), config.get("tic.influxdb.password")));
        }
        if (config.sinkEnabled("influxdb") || config.sinkEnabled("influxdb2")) {
            m.bind("influxPoints", new InfluxPoints(config.get("tic.influxdb.database", "tic")));
        }
        if (config.sinkEnabled("mqtt")) {
            m.bind("homeAssistant", new HomeAssistant(store, config.get("tic.mqtt.prefix", "tic"),
                    config.get("tic.mqtt.discovery-prefix", "homeassistant"), config.number("tic.meter.no-data-timeout", 60_000)));
        }
        m.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                store.setMetrics(registry);
                for (MeterConfig meter : config.meters()) {
                    TemplatedRouteBuilder.builder(context, "tic-meter").routeId("meter-" + meter.name())
                            .parameter("name", meter.name()).parameter("source", meter.source())
                            .parameter("family", meter.family().id()).add();
                    LOG.info("Meter {} ({}) from {}", meter.name(), meter.family().id(), meter.source());
                }
            }

            @Override
            public void afterStart(BaseMainSupport support) {
                String host = config.get("camel.server.host", "0.0.0.0");
                String port = config.get("camel.server.port", "8080");
                LOG.info("TIC Gateway running: http://{}:{}/api/meters  http://{}:{}/observe/health  sinks: {}", host,
                        port, host, port, enabledSinks());
            }

            @Override
            public void beforeStop(BaseMainSupport support) {
                store.save();
            }
        });
        return m;
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

    /** Runs until stopped (Ctrl-C, SIGTERM). */
    public void run() throws Exception {
        main = build();
        main.run();
    }

    /** Starts in the background (tests). */
    public void start() throws Exception {
        main = build();
        main.start();
    }

    /** Stops a gateway started with {@link #start}. */
    public void stop() throws Exception {
        if (main != null) {
            main.stop();
            main.shutdown();
        }
    }
}
