package dev.fabricembedded.cli;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.gateway.SubmitResult;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code instantiate} and {@code upgrade} share: their options and the deployment itself, an LSCC
 * deploy/upgrade transaction submitted through a gateway (endorsed, ordered, validated, committed). A picocli mixin;
 * used by the command's thread.
 */
final class DeployOptions {

    @Mixin
    NetworkOptions network;

    @Mixin
    ChannelOptions channel;

    @Mixin
    IdentityOptions identity;

    @Option(names = "--name", paramLabel = "N", required = true, description = "chaincode name")
    String name;

    @Option(names = "--version", paramLabel = "V", required = true, description = "chaincode version")
    String version;

    @Option(names = "--args", paramLabel = "JSON", defaultValue = "[]",
            description = "Init arguments, a JSON array of strings, e.g. '[\"init\",\"a\",\"100\",\"b\",\"200\"]' "
                    + "(default: ${DEFAULT-VALUE})")
    String args;

    @Option(names = "--policy", paramLabel = "DSL",
            description = "endorsement policy, e.g. \"OR('Org1MSP.member','Org2MSP.member')\" (default: Fabric's, "
                    + "a signature from any member of the channel's organizations)")
    String policy;

    /** Opens the network, submits the LSCC deploy or upgrade and prints the outcome. */
    int deploy(Console console, boolean upgrade) throws Exception {
        List<String> initArgs = JsonArgs.parse(args);
        try (EmbeddedNetwork opened = network.open(console)) {
            String channelId = channel.of(opened);
            SubmitResult result = deploy(console, opened, identity.org, identity.userOr(NetworkLayout.ADMIN),
                    channelId, upgrade, name, version, initArgs, policy);
            Transactions.print(console, result);
        }
        return 0;
    }

    /**
     * Submits an LSCC deploy or upgrade as a progress step, which ends when every peer has committed it; a
     * transaction that is not VALID throws.
     */
    static SubmitResult deploy(Console console, EmbeddedNetwork network, String org, String user, String channelId,
            boolean upgrade, String name, String version, List<String> initArgs, String policy) throws Exception {
        String what = (upgrade ? "upgrade " : "instantiate ") + name + " " + version + " on " + channelId + " "
                + Transactions.json(initArgs) + (policy != null ? " policy " + policy : "");
        return Transactions.submit(console, what, () -> {
            SubmitResult result;
            try (Gateway gateway = network.gateway(org, user)) {
                result = upgrade
                        ? gateway.network(channelId).upgrade(name, version, initArgs, policy)
                        : gateway.network(channelId).instantiate(name, version, initArgs, policy);
            }
            network.sync(); // every peer knows the chaincode definition before the next endorsement
            return result;
        });
    }
}
