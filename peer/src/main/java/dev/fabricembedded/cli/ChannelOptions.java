package dev.fabricembedded.cli;

import dev.fabricembedded.peer.network.EmbeddedNetwork;
import picocli.CommandLine.Option;

/** The {@code --channel C} option of the commands working on a channel. A picocli mixin. */
final class ChannelOptions {

    @Option(names = {"--channel", "-C"}, paramLabel = "C", required = true, description = "channel name")
    String channel;

    /**
     * The channel, checked against the network's.
     *
     * @throws IllegalArgumentException when the network has no such channel
     */
    String of(EmbeddedNetwork network) {
        if (!network.channelId().equals(channel)) {
            throw new IllegalArgumentException("channel " + channel + " does not exist: this network has channel "
                    + network.channelId());
        }
        return channel;
    }
}
