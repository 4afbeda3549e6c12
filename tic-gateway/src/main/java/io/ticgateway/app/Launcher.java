package io.ticgateway.app;

import io.ticgateway.camel.ModeOption;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The jar's entry point. A plain {@code decode} (its options and one input) runs straight away, without
 * loading the command-line library, Camel or logging: on a file of 100 MB that start is a fair share of
 * the CPU. Anything else (help, a bad option, the gateway, {@code simulate}) goes to {@link TicGatewayCli}.
 */
public final class Launcher {

    private Launcher() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        DecodeRun decode = plainDecode(args);
        if (decode == null) {
            TicGatewayCli.main(args);
            return;
        }
        int status = decode.run(new FileOutputStream(FileDescriptor.out), new PrintWriter(System.err, true));
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * {@code decode [--mode M] [--lenient] [--strip-parity] INPUT} as {@link DecodeCommand} reads it, or null
     * for any other command line (picocli then parses it, with its help and error messages).
     */
    static DecodeRun plainDecode(String[] args) {
        if (args.length < 2 || !"decode".equals(args[0])) {
            return null;
        }
        ModeOption mode = null;
        boolean lenient = false;
        boolean stripParity = false;
        String input = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String modeName = null;
            if ("--mode".equals(arg) && i + 1 < args.length) {
                modeName = args[++i];
            } else if (arg.startsWith("--mode=")) {
                modeName = arg.substring("--mode=".length());
            } else if ("--lenient".equals(arg) && !lenient) {
                lenient = true;
            } else if ("--strip-parity".equals(arg) && !stripParity) {
                stripParity = true;
            } else if (input == null && ("-".equals(arg) || !arg.startsWith("-"))) {
                input = arg;
            } else {
                return null;
            }
            if (modeName != null) {
                if (mode != null) { // given twice: picocli's error
                    return null;
                }
                mode = modeOf(modeName);
                if (mode == null) {
                    return null;
                }
            }
        }
        return input == null ? null : new DecodeRun(mode == null ? null : mode.mode(), lenient, stripParity, input);
    }

    private static ModeOption modeOf(String name) {
        for (ModeOption option : ModeOption.values()) {
            if (option.name().equals(name.toLowerCase(Locale.ROOT))) {
                return option;
            }
        }
        return null;
    }
}
