package io.ticgateway.camel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code tic:} component: {@code tic:serial:/dev/ttyUSB0}, {@code tic:tcp:host:port},
 * {@code tic:file:capture.bin}, {@code tic:simulator:linky-standard}.
 */
@org.apache.camel.spi.annotations.Component("tic")
public class TicComponent extends DefaultComponent {

    /** Serial device → URI of the endpoint that reads it: one reader per physical port. */
    private final Map<String, String> serialOwners = new ConcurrentHashMap<>();

    /** The options whose value is one of an enum's constants, checked before binding for a readable error. */
    private static final Map<String, Class<? extends Enum<?>>> CHOICES = Map.of(
            "mode", ModeOption.class, "policy", PolicyOption.class, "pace", ReplayPace.class);

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("tic: URI must be tic:<serial|tcp|file|simulator>:<address>"
                    + " (tic:serial:/dev/ttyUSB0, tic:tcp:host:port, tic:file:capture.bin, tic:simulator:linky-standard),"
                    + " was 'tic:" + remaining + "'");
        }
        String transportName = remaining.substring(0, colon);
        TransportType transport;
        try {
            transport = TransportType.valueOf(transportName.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tic: unknown transport '" + transportName
                    + "', expected serial, tcp, file or simulator (in '" + uri + "')");
        }
        String address = remaining.substring(colon + 1);
        TicEndpoint endpoint = new TicEndpoint(uri, this);
        endpoint.setTransport(transport);
        endpoint.setAddress(address);
        checkChoices(parameters);
        setProperties(endpoint, parameters);
        if (transport == TransportType.serial) {
            claimSerialPort(address, uri);
        }
        return endpoint;
    }

    /** An option such as {@code mode=turbo}: one sentence listing the values it takes, not Java's enum message. */
    private static void checkChoices(Map<String, Object> parameters) {
        if (parameters.get("baudRate") instanceof String text && !text.matches("\\d{1,7}")) {
            throw new IllegalArgumentException("tic: option baudRate=" + text + " is not a whole number of bauds"
                    + " (1200, 9600 ...; 0 takes the mode's)");
        }
        CHOICES.forEach((option, type) -> {
            Object value = parameters.get(option);
            if (value instanceof String text && Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .noneMatch(text::equalsIgnoreCase)) {
                throw new IllegalArgumentException("tic: option " + option + "=" + text + " is not one of "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
            }
        });
    }

    /** One reader per physical port: the endpoint of {@code uri} reads {@code device} from now on. */
    void claimSerialPort(String device, String uri) {
        String owner = serialOwners.putIfAbsent(realPath(device), uri);
        if (owner != null && !owner.equals(uri)) {
            throw new IllegalArgumentException("tic: serial port " + device + " is already read by " + owner
                    + "; one endpoint per port (route several meters from that endpoint instead)");
        }
    }

    /** The endpoint of {@code uri} stopped: another endpoint may read {@code device}. */
    void releaseSerialPort(String device, String uri) {
        serialOwners.remove(realPath(device), uri);
    }

    /** The device a path names, links followed (/dev/serial/by-id/... and /dev/ttyUSB0 are one port). */
    private static String realPath(String device) {
        try {
            return java.nio.file.Path.of(device).toRealPath().toString();
        } catch (java.io.IOException | RuntimeException notThereYet) {
            return device; // unplugged at start: the path as given
        }
    }
}
