package dev.fabricembedded.endorser.chaincode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPUs a Linux thread or process may run on, as its {@code /proc/.../status} lists them (for tests). */
final class CpusAllowed {

    private CpusAllowed() {
    }

    /** The {@code Cpus_allowed_list} of a {@code status} file, e.g. {@code "0-1"} or {@code "1"}. */
    static String of(final Path status) throws IOException {
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElseThrow();
    }
}
