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
        try {
            new GatewayMain(file, System::getenv).run();
            return 0;
        } catch (GatewayMain.BusyException e) { // not the configuration's fault: a service restarts and tries again
            spec.commandLine().getErr().println("tic-gateway: start-up error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        } catch (GatewayConfig.ConfigException e) {
            spec.commandLine().getErr().println("tic-gateway: configuration error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 3;
        } catch (Exception e) { // Camel could not start what the configuration asks for (a route file, a component)
            spec.commandLine().getErr().println("tic-gateway: start-up error: " + StartupError.oneLine(e));
            spec.commandLine().getErr().flush();
            return 3;
        }
    }
}
