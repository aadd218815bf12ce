package dev.fabricembedded.cli;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.gateway.SubmitResult;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code invoke --data DIR --channel C --name N --args JSON}: a transaction through the gateway (endorse on the
 * peers, order, validate, commit). Prints the txid, the validation code and the chaincode's payload; exits 0 only
 * when the transaction is VALID.
 */
@Command(name = "invoke", description = "Submit a transaction (endorse, order, validate, commit), default identity "
        + "org1 User1; exit status 0 only if it is VALID.")
final class InvokeCommand implements Callable<Integer> {

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
            SubmitResult result = invoke(console, network, identity.org, identity.userOr(NetworkLayout.USER1),
                    channelId, chaincode.name, call);
            Transactions.print(console, result);
        }
        return 0;
    }

    /**
     * Submits one transaction as a progress step, which ends when every peer has committed it; a transaction that
     * is not VALID throws.
     */
    static SubmitResult invoke(Console console, EmbeddedNetwork network, String org, String user, String channelId,
            String name, List<String> call) throws Exception {
        return Transactions.submit(console, "invoke " + name + " " + Transactions.json(call), () -> {
            SubmitResult result;
            try (Gateway gateway = network.gateway(org, user)) {
                result = gateway.network(channelId).contract(name).submitTransaction(call.get(0),
                        call.subList(1, call.size()).toArray(String[]::new));
            }
            network.sync(); // every peer has the block before anyone endorses again
            return result;
        });
    }
}
