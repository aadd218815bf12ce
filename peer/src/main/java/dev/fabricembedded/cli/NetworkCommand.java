package dev.fabricembedded.cli;

import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code network}: commands on the network data directory itself; for now {@code init}. */
@Command(name = "network", description = "Create a network data directory.",
        subcommands = NetworkCommand.Init.class)
final class NetworkCommand {

    /**
     * {@code network init --data DIR [--orgs N]}: writes the organisations' crypto material in cryptogen's layout and
     * the {@code mychannel} genesis block, then opens the network once (the orderer creates the channel, every peer
     * joins it) and closes it.
     */
    @Command(name = "init", description = "Generate N organizations (cryptogen's layout), an orderer organization "
            + "and channel mychannel with every organization in it.")
    static final class Init implements Callable<Integer> {

        @Mixin
        NetworkOptions options;

        @Option(names = "--orgs", paramLabel = "N", defaultValue = "2",
                description = "number of organizations, 1 to " + NetworkLayout.MAX_ORGANIZATIONS
                        + " (default: ${DEFAULT-VALUE})")
        int orgs;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Console console = new Console(spec.commandLine().getOut());
            NetworkLayout.checkOrganizationCount(orgs);
            NetworkLayout layout = console.step("generate " + orgs + " organization" + (orgs == 1 ? "" : "s")
                    + " and the " + NetworkLayout.DEFAULT_CHANNEL + " genesis block in " + options.data,
                    () -> EmbeddedNetwork.create(options.data, orgs));
            try (EmbeddedNetwork network = console.step("create " + layout.channelId() + " on the orderer, join "
                    + "every peer", () -> EmbeddedNetwork.open(layout.root()))) {
                console.line("network ready in %s", layout.root());
                console.line("  orderer      %s (%s)", layout.ordererMsp(), NetworkLayout.ORDERER_MSP_ID);
                for (int n = 1; n <= layout.organizations(); n++) {
                    console.line("  %-12s %s (%s), users Admin and User1", NetworkLayout.organizationName(n),
                            layout.peerOrganizationDirectory(n), NetworkLayout.mspId(n));
                }
                console.line("  channel      %s, height %d", network.channelId(),
                        network.orderer().height(network.channelId()));
            }
            return 0;
        }
    }
}
