package io.ticgateway.app;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code tic-gateway.jar}: the gateway by default, and its commands. */
@Command(name = "tic-gateway", mixinStandardHelpOptions = true, version = "tic-gateway 0.1.0",
        subcommands = {DecodeCommand.class, SimulateCommand.class},
        description = "Reads French electricity meters' TIC output and publishes the readings.")
public final class TicGatewayCli implements Callable<Integer> {

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        CommandLine cli = commandLine();
        ((DecodeCommand) cli.getSubcommands().get("decode").getCommand()).stdout = new FileOutputStream(FileDescriptor.out);
        int status = cli.execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command line, with one-line error messages for bad options. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TicGatewayCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage() + " (see --help)");
            err.flush();
            return 2;
        });
        return cli;
    }

    @picocli.CommandLine.Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The configuration (application.properties); default: $TIC_CONFIG, else the embedded"
                    + " default (a simulated Linky to the REST API and files).")
    java.nio.file.Path config;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Runs the gateway until stopped. */
    @Override
    public Integer call() throws Exception {
        java.nio.file.Path file = config;
        if (file == null && System.getenv("TIC_CONFIG") != null && !System.getenv("TIC_CONFIG").isBlank()) {
            file = java.nio.file.Path.of(System.getenv("TIC_CONFIG"));
        }
        GatewayMain gateway = null;
        try {
            gateway = new GatewayMain(file, System::getenv);
            gateway.run();
            return 0;
        } catch (GatewayMain.BusyException e) { // not the configuration's fault: a service restarts and tries again
            return say("start-up error: " + e.getMessage(), 1);
        } catch (GatewayConfig.ConfigException e) {
            return say("configuration error: " + e.getMessage(), 3);
        } catch (Exception e) { // Camel could not start what the configuration asks for (a route file, a component)
            if (GatewayMain.jvmExiting()) { // a signal came during the start: the start was cut short, nothing is wrong
                return say("stopped by a signal before the start was complete", 0);
            }
            return say("start-up error: " + StartupError.oneLine(e), 3);
        } finally {
            if (gateway != null) {
                gateway.reported();
            }
        }
    }

    /** One line on stderr, and the exit status that goes with it. */
    private int say(String line, int status) {
        spec.commandLine().getErr().println("tic-gateway: " + line);
        spec.commandLine().getErr().flush();
        return status;
    }
}
