package dev.fabricembedded.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code fabric-embedded} command line: Fabric's peer commands against an embedded network on a data directory.
 *
 * <p>Process model: each command opens the data directory (taking its lock), does its work and closes it, so a
 * network is a directory and each command a short process; a second process on the same directory fails at once
 * with {@code data directory X is in use by process N}.
 *
 * <p>Output: results and progress lines (with timings) on standard output; on failure, one line
 * {@code Error: <what went wrong>} on standard error and exit status 1 (2 for a usage error). {@code --verbose}
 * adds the library's log (SLF4J simple, on standard error) and the stack trace of an error.
 */
@Command(name = "fabric-embedded", versionProvider = CliVersion.class,
        description = "An embedded Hyperledger Fabric 1.4 network: peers, a solo orderer and chaincode processes "
                + "on one data directory.",
        subcommands = {DemoCommand.class, NetworkCommand.class, InstallCommand.class, InstantiateCommand.class,
                UpgradeCommand.class, InvokeCommand.class, QueryCommand.class, BlocksCommand.class,
                EndorseCommand.class, BroadcastCommand.class})
public final class FabricEmbeddedCli {

    /** Exit status of a command that failed (2 is picocli's for a usage error). */
    static final int FAILED = 1;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
            description = "show this help and exit")
    boolean help;

    // not inherited: install, instantiate and upgrade have a --version option of their own (the chaincode's)
    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version and exit")
    boolean version;

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "show the library's log and the stack trace of an error")
    boolean verbose;

    private FabricEmbeddedCli() {
    }

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        boolean verbose = isVerbose(args);
        configureLogging(verbose);
        int status = commandLine(verbose).execute(args);
        System.exit(status);
    }

    /**
     * The command line, with the error handling described on the class; used by {@link #main} and by tests that
     * run commands in process.
     */
    public static CommandLine commandLine(boolean verbose) {
        CommandLine commandLine = new CommandLine(new FabricEmbeddedCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            err.println("Error: " + message(e));
            if (verbose && !(e instanceof CommandFailedException)) {
                e.printStackTrace(err);
            }
            err.flush();
            return FAILED;
        });
        commandLine.setParameterExceptionHandler((ParameterException e, String[] args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("Error: " + e.getMessage() + " (see: " + cmd.getCommandSpec().qualifiedName()
                    + " --help)");
            cmd.getErr().flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        return commandLine;
    }

    /**
     * The message of an exception, or of its cause when it has none of its own; file system exceptions, whose
     * message is only the file name, say what happened to the file.
     */
    static String message(Throwable e) {
        if (e instanceof NoSuchFileException missing) {
            return "no such file or directory: " + missing.getFile();
        }
        if (e instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return "file already exists: " + exists.getFile();
        }
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private static boolean isVerbose(String[] args) {
        return List.of(args).contains("-v") || List.of(args).contains("--verbose");
    }

    /**
     * SLF4J simple: the library's log goes to standard error at INFO with {@code --verbose}, and is off otherwise,
     * so that a failing command prints exactly one error line (the library logs, for instance, a chaincode's error
     * response at ERROR before the command reports it). Must run before the first logger is created.
     */
    private static void configureLogging(boolean verbose) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "off");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
