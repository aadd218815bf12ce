package dev.fabricembedded.cli;

import dev.fabricembedded.peer.network.EmbeddedNetwork;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data DIR} option every command but {@code demo} takes: the network data directory written by
 * {@code network init}, which the command opens (as a progress step) and closes when done. A picocli mixin; used by
 * the command's thread.
 */
final class NetworkOptions {

    @Option(names = "--data", paramLabel = "DIR", required = true,
            description = "the network data directory (created by `network init`)")
    Path data;

    /** Opens the network (locking the directory), printing the step and its timing. */
    EmbeddedNetwork open(Console console) throws Exception {
        return console.step("open network " + data, () -> EmbeddedNetwork.open(data));
    }
}
