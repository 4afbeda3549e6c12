package io.ticgateway.app;

import io.ticgateway.app.GatewayConfig.ConfigException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must hold before anything starts, each failure one line naming the key: every meter's source
 * resolves, the HTTP port can be bound (and is the management port too), an API open to the network has
 * authentication, the folders of the state and of the files sink can be written.
 */
final class StartupChecks {

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

    private StartupChecks() {
    }

    /** @throws ConfigException naming the key at fault */
    static void run(GatewayConfig config) {
        checkSources(config);
        checkHttpPort(config);
        checkHttpAuthentication(config);
        checkStateFile(config.get("tic.state.file", ""));
        if (config.sinkEnabled("files")) {
            checkFilesFolders(config);
        }
    }

    /** The state file: a file, readable if it is there (else replaced by an empty state), in a writable folder. */
    private static void checkStateFile(String state) {
        if (state.isBlank()) { // kept in memory only
            return;
        }
        Path file = Path.of(state);
        if (Files.isDirectory(file)) {
            throw new ConfigException("tic.state.file: " + state + " is a folder; name a file in it (state.json)");
        }
        if (Files.exists(file) && !Files.isReadable(file)) { // not restored, then replaced at the first save
            throw new ConfigException("tic.state.file: " + state + " cannot be read (permission denied): its meters'"
                    + " state would be lost");
        }
        Path parent = file.toAbsolutePath().getParent();
        checkWritable("tic.state.file", parent != null ? parent : file.toAbsolutePath());
    }

    /** The files sink's folder, and the folder in it of each meter whose frames go there (left by root, say). */
    private static void checkFilesFolders(GatewayConfig config) {
        Path files = Path.of(config.get("tic.files.dir", "data/frames"));
        checkWritable("tic.files.dir", files);
        FamilySinks sinks = new FamilySinks(config);
        for (MeterConfig meter : config.meters()) {
            Path folder = files.resolve(meter.name());
            if (sinks.allows(meter.name(), "files") && Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                checkWritable("tic.files.dir", folder); // a folder not there yet is made when first needed
            }
        }
    }

    /**
     * A folder the gateway writes to must be there or creatable, and writable: a read-only one would start a
     * gateway that says it is up and drops every frame of the sink (or its state) a second later.
     */
    private static void checkWritable(String key, Path dir) {
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".tic-gateway-", ".probe"));
        } catch (IOException | SecurityException e) {
            throw new ConfigException(key + ": cannot write to " + dir + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (or a read-only file system)";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way of the folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** Every meter's source URI must resolve, with its options, before anything starts. */
    private static void checkSources(GatewayConfig config) {
        DefaultCamelContext probe = new DefaultCamelContext();
        try {
            probe.getPropertiesComponent().setLocation("classpath:" + GatewayConfig.DEFAULTS + ";optional=true");
            for (MeterConfig meter : config.meters()) {
                try {
                    ServiceHelper.initService(probe.getEndpoint(meter.source()));
                } catch (RuntimeException e) {
                    throw new ConfigException("tic.meter." + meter.name() + ".source: " + Failures.root(e).getMessage());
                }
            }
        } finally {
            // never started: nothing to stop (stopping it would log a phantom context shutting down)
            probe.getEndpoints().forEach(ServiceHelper::stopAndShutdownService);
        }
    }

    /**
     * The HTTP server's port must be free: camel-main would log a BindException and run on without its API
     * and health endpoint, so that a service manager never restarts it.
     */
    private static void checkHttpPort(GatewayConfig config) {
        if (!"true".equalsIgnoreCase(config.get("camel.server.enabled", "false"))) {
            return;
        }
        String host = config.get("camel.server.host", "0.0.0.0");
        long port = config.number("camel.server.port", 8080);
        String management = config.get("camel.management.port", "{{camel.server.port}}");
        if (!management.equals("{{camel.server.port}}") && !management.equals(String.valueOf(port))) {
            // a second server would take the API's routes away and serve /observe/* on every interface, unprotected
            throw new ConfigException("camel.management.port: must be camel.server.port (" + port + "), was " + management
                    + ": the API and /observe/* share one server and its authentication");
        }
        if (port < 1 || port > 65_535) {
            throw new ConfigException("camel.server.port: must be 1-65535, was " + port);
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, (int) port));
        } catch (IOException e) {
            throw new ConfigException("camel.server.port: " + host + ":" + port + " cannot be bound (" + e.getMessage()
                    + "): another program holds it, or camel.server.host is not an address of this machine");
        }
    }

    /**
     * An API reachable from the network needs authentication (camel-main's basic or JWT), or an explicit
     * waiver ({@code tic.http.auth=none}); authentication switched on needs a mechanism that can be read:
     * Camel 4.17 would otherwise serve everything unprotected, silently (CAMEL-23767).
     */
    private static void checkHttpAuthentication(GatewayConfig config) {
        String waiver = config.get("tic.http.auth", "required").trim();
        if (!"required".equalsIgnoreCase(waiver) && !"none".equalsIgnoreCase(waiver)) {
            throw new ConfigException("tic.http.auth: expected required or none (authentication explicitly waived),"
                    + " was '" + waiver + "'; authentication itself is camel.server.authenticationEnabled");
        }
        if (!"true".equalsIgnoreCase(config.get("camel.server.enabled", "false"))) {
            return;
        }
        String host = config.get("camel.server.host", "0.0.0.0");
        if (config.flag("camel.server.authenticationEnabled")) {
            String basic = config.get("camel.server.basicPropertiesFile", "");
            String jwt = config.get("camel.server.jwtKeystorePath", "");
            if (basic.isEmpty() && jwt.isEmpty()) {
                throw new ConfigException("camel.server.authenticationEnabled: true but no mechanism: set"
                        + " camel.server.basicPropertiesFile (or camel.server.jwtKeystorePath), or Camel serves everything"
                        + " unprotected");
            }
            for (String key : List.of("camel.server.basicPropertiesFile", "camel.server.jwtKeystorePath")) {
                String file = config.get(key, "");
                if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
                    throw new ConfigException(key + ": " + file + " cannot be read");
                }
                if (!file.isEmpty() && Files.isDirectory(Path.of(file))) { // Docker's bind mount of a missing file
                    throw new ConfigException(key + ": " + file + " is a directory, not a file");
                }
            }
            return;
        }
        if (isLoopback(host)) {
            return;
        }
        if ("none".equalsIgnoreCase(config.get("tic.http.auth", "required"))) {
            LOG.warn("HTTP API on {} without authentication (tic.http.auth=none): anyone on that network can read it", host);
            return;
        }
        throw new ConfigException("camel.server.host: " + host + " opens the API to the network without authentication:"
                + " set camel.server.authenticationEnabled=true and camel.server.basicPropertiesFile (docs/gateway.md),"
                + " or tic.http.auth=none on a closed network");
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
