package dev.fabricembedded.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code instantiate --data DIR --channel C --name N --version V [--args JSON] [--policy DSL]}: LSCC deploy, which
 * starts the chaincode process and runs its Init; prints the txid, the validation code and the block.
 */
@Command(name = "instantiate", description = "Instantiate an installed chaincode on a channel (LSCC deploy, runs "
        + "Init), default identity org1 Admin.")
final class InstantiateCommand implements Callable<Integer> {

    @Mixin
    DeployOptions deploy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return deploy.deploy(new Console(spec.commandLine().getOut()), false);
    }
}
