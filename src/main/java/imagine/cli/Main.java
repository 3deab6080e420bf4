package imagine.cli;

import imagine.UserInputException;
import imagine.core.SynthesisDivergedException;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar imagine.jar <command>}. Exit codes: 0 success, 2 bad input (a
 * {@link UserInputException}: one line saying what to do, no stack trace unless --debug), 1 a
 * diverged run (its message) or an internal error (the trace under --debug), 130 cancelled.
 */
@Command(name = "imagine", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "IMAGINE: image synthesis from one reference image by model inversion.",
        subcommands = {SynthesizeCommand.class, BatchCommand.class, ClassifyCommand.class, BenchCommand.class, DoctorCommand.class,
                EvidenceCommand.class, ReportCommand.class, ScoreCommand.class, SettingsCommand.class})
public final class Main {

    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_CANCELLED = 130;

    /** Shared by the subcommands; the error handler reads --debug from the arguments. */
    static final class Common {
        @Option(names = "--debug", description = "Print stack traces of errors.")
        boolean debug;
    }

    public static void main(String[] args) {
        // This JVM is the command line's own, so DJL's process-wide switches are set here (never in
        // the library code that Fiji loads): no downloads unless asked for, no call-home probe.
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("OPT_OUT_TRACKING", "true");
        privateEngineCache();
        System.exit(run(args));
    }

    /**
     * Where the home folder is not writable DJL would unpack libtorch into the shared temporary
     * folder, which the engine then refuses (imagine.model.NativeCache); the command line, owning its
     * JVM, uses a folder of its own there instead: created for this user only (0700), and still
     * checked, so one planted by someone else is refused.
     */
    private static void privateEngineCache() {
        if (System.getenv("DJL_CACHE_DIR") != null || System.getProperty("DJL_CACHE_DIR") != null
                || System.getenv("ENGINE_CACHE_DIR") != null || System.getProperty("ENGINE_CACHE_DIR") != null
                || java.nio.file.Files.isWritable(java.nio.file.Path.of(System.getProperty("user.home")))) {
            return;
        }
        java.nio.file.Path own = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "imagine-djl-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
        try {
            if (!java.nio.file.Files.exists(own, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                java.nio.file.Files.createDirectory(own, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return; // the engine's own check then says what to do
        }
        System.setProperty("DJL_CACHE_DIR", own.toString());
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Runs a command line and returns the exit code (tests call this). Its output goes through
     * {@link PrintableOutput}; output that could not be written (a full disk, a closed pipe) makes a
     * run that would have succeeded exit 1, with the reason.
     */
    public static int run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream printableOut = PrintableOutput.wrap(out);
        PrintStream printableErr = PrintableOutput.wrap(err);
        System.setOut(printableOut);
        System.setErr(printableErr);
        try {
            int code = execute(args);
            if (code == 0 && (printableOut.checkError() || out.checkError())) {
                printableErr.println("imagine: the output could not be written (the disk is full or the pipe is closed); "
                        + "run again with the output going somewhere it can be written.");
                return 1;
            }
            return code;
        } finally {
            printableOut.flush();
            printableErr.flush();
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean debug = java.util.Arrays.asList(parsed.originalArgs().toArray(new String[0])).contains("--debug");
            PrintWriter err = cmd.getErr();
            if (ex instanceof UserInputException) {
                err.println("imagine: " + ex.getMessage());
                if (debug) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof SynthesisDivergedException) {
                // Its message says which setting to lower.
                err.println("imagine: " + ex.getMessage());
                if (debug) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return 1;
            }
            if (ex instanceof java.io.UncheckedIOException && ex.getCause() instanceof java.nio.file.FileAlreadyExistsException) {
                err.println("imagine: " + ex.getMessage()); // says which file appeared and what to do
                err.flush();
                return 1;
            }
            if (ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                // Not a bug: the disk is full, a folder vanished or became read-only. Say which and why.
                String reason = imagine.batch.Writable.reason(ex);
                boolean space = reason.toLowerCase(java.util.Locale.ROOT).matches(".*(space|quota).*");
                err.println("imagine: " + ioMessage(ex) + " (" + reason + "); " + (space ? "free some space or " : "")
                        + "choose another folder, then run again.");
                if (debug) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return 1;
            }
            err.println("imagine: internal error: " + ex + (debug ? "" : " (run again with --debug for details)"));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("imagine: " + ex.getMessage() + " (see --help)");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    /** The first line of an I/O failure's own message: what could not be written. */
    private static String ioMessage(Exception ex) {
        String m = ex.getMessage() == null ? "an input or output failed" : ex.getMessage();
        int colon = m.indexOf(": ");
        return colon > 0 && m.startsWith("Cannot write") ? m.substring(0, colon) : m.lines().findFirst().orElse(m);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"imagine " + (v == null ? "dev" : v)};
        }
    }
}
