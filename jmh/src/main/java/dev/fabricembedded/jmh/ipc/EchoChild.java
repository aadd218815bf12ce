package dev.fabricembedded.jmh.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EchoProcess} in a second JVM: this JVM's {@code java}, class path and Chronicle flags. Closing
 * closes its stdin (it exits), then kills and reaps it if it has not.
 */
final class EchoChild implements AutoCloseable {

    private final Process process;
    private final String readyLine;

    private EchoChild(Process process, String readyLine) {
        this.process = process;
        this.readyLine = readyLine;
    }

    static EchoChild start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-Dchronicle.") || flag.startsWith("-Dpauser.")) {
                command.add(flag);
            }
        }
        command.add("-Xmx512m");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EchoProcess.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("READY")) {
            process.destroyForcibly();
            throw new IOException("echo process did not start: " + line);
        }
        return new EchoChild(process, line);
    }

    Process process() {
        return process;
    }

    /** The gRPC port it printed. */
    int port() {
        return Integer.parseInt(readyLine.substring("READY ".length()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
