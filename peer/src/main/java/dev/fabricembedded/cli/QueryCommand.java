package dev.fabricembedded.cli;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code query --data DIR --channel C --name N --args JSON}: a proposal endorsed by one peer (the identity's own
 * organisation's), nothing ordered; prints the payload.
 */
@Command(name = "query", description = "Evaluate a chaincode function on one peer (nothing is ordered) and print "
        + "the payload, default identity org1 User1.")
final class QueryCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions options;

    @Mixin
    ChannelOptions channel;

    @Mixin
    IdentityOptions identity;

    @Mixin
    ChaincodeCallOptions chaincode;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        List<String> call = chaincode.call();
        try (EmbeddedNetwork network = options.open(console)) {
            String channelId = channel.of(network);
            String payload = query(console, network, identity.org, identity.userOr(NetworkLayout.USER1), channelId,
                    chaincode.name, call);
            console.line("payload: %s", payload);
        }
        return 0;
    }

    /** Evaluates a function as a progress step and returns the payload as UTF-8 text. */
    static String query(Console console, EmbeddedNetwork network, String org, String user, String channelId,
            String name, List<String> call) throws Exception {
        return console.step("query " + name + " " + Transactions.json(call), () -> {
            try (Gateway gateway = network.gateway(org, user)) {
                byte[] payload = gateway.network(channelId).contract(name).evaluate(call.get(0),
                        call.subList(1, call.size()).toArray(String[]::new));
                return Transactions.printable(payload);
            }
        });
    }
}
