package dev.fabricembedded.cli;

import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code install --data DIR --package JAR --name N --version V [--org ORG]}: LSCC install of a chaincode package
 * (a jar naming its chaincode class) on the peers, each time as the peer organisation's Admin, as Fabric's
 * {@code peer chaincode install} run against each peer. Without {@code --org} it installs on every organisation's
 * peer, since the gateway endorses on all of them.
 */
@Command(name = "install", description = "Install a chaincode package (jar) on the peers (LSCC install, as each "
        + "organization's Admin).")
final class InstallCommand implements Callable<Integer> {

    @Mixin
    NetworkOptions options;

    @Option(names = "--package", paramLabel = "JAR", required = true, description = "the chaincode jar")
    Path packageJar;

    @Option(names = "--name", paramLabel = "N", required = true, description = "chaincode name")
    String name;

    @Option(names = "--version", paramLabel = "V", required = true, description = "chaincode version")
    String version;

    @Option(names = "--org", paramLabel = "ORG",
            description = "install only on this organization's peer (default: every organization's peer)")
    String org;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        if (!Files.isRegularFile(packageJar)) {
            throw new IllegalArgumentException("chaincode package " + packageJar + " does not exist");
        }
        try (EmbeddedNetwork network = options.open(console)) {
            List<String> orgs = org != null ? List.of(org) : network.organizations();
            for (String organization : orgs) {
                install(console, network, organization, packageJar, name, version);
            }
        }
        return 0;
    }

    /** Installs a package on one organisation's peer as its Admin, as a progress step. */
    static void install(Console console, EmbeddedNetwork network, String organization, Path jar, String name,
            String version) throws Exception {
        NetworkLayout layout = network.layout();
        String peer = layout.peerName(layout.organizationNumber(organization));
        console.step("install " + name + " " + version + " on " + peer, () -> {
            try (Gateway gateway = network.gateway(organization, NetworkLayout.ADMIN)) {
                gateway.install(jar, name, version);
            }
            return null;
        });
    }
}
