package dev.fabricembedded.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code upgrade --data DIR --channel C --name N --version V [--args JSON] [--policy DSL]}: LSCC upgrade, which
 * starts the new version's process and runs its Init; prints the txid, the validation code and the block.
 */
@Command(name = "upgrade", description = "Upgrade a chaincode to an installed version (LSCC upgrade, runs Init), "
        + "default identity org1 Admin.")
final class UpgradeCommand implements Callable<Integer> {

    @Mixin
    DeployOptions deploy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return deploy.deploy(new Console(spec.commandLine().getOut()), true);
    }
}
