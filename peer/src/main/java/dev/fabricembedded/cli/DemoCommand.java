package dev.fabricembedded.cli;

import dev.fabricembedded.endorser.runtime.FileTree;
import dev.fabricembedded.gateway.SubmitResult;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo [--data DIR]}: Fabric's end-to-end flow in a fresh directory, each step printed with its timing.
 * Two organisations and an orderer organisation are generated in cryptogen's layout, channel {@code mychannel} is
 * created with both, the example02 chaincode (packaged inside this jar) is installed on both peers, instantiated
 * through LSCC with {@code ["init","a","100","b","200"]} and the endorsement policy
 * {@code AND('Org1MSP.member','Org2MSP.member')} (a separate chaincode process over Chronicle IPC), then
 * {@code move a b 10} is submitted {@value #MOVES} times (endorsed by both peers, ordered, validated, committed),
 * alternately by org1's and org2's User1, and a and b are queried. Exit status 0 only if every transaction is VALID
 * and the final values are a = 50, b = 250.
 *
 * <p>Without {@code --data} the directory is a new temporary one, deleted afterwards; with it, the directory (which
 * must not exist or be empty) is kept and can be used with the other commands.
 */
@Command(name = "demo", description = "Run the end-to-end Fabric flow in a fresh network: 2 organizations, "
        + "mychannel, example02 installed, instantiated, 5 x move a b 10, queries; each step with its timing.")
final class DemoCommand implements Callable<Integer> {

    /** Number of {@code move a b 10} transactions. */
    static final int MOVES = 5;
    static final String CHAINCODE = "mycc";
    static final String VERSION = "1.0";
    static final String POLICY = "AND('Org1MSP.member','Org2MSP.member')";
    /** Where the build puts the example02 package inside the jar (see peer/pom.xml). */
    static final String PACKAGE_RESOURCE = "example02.jar";

    @Option(names = "--data", paramLabel = "DIR",
            description = "keep the network in DIR (must not exist or be empty); default: a temporary directory, "
                    + "deleted afterwards")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut());
        long start = System.nanoTime();
        Path dir = data != null ? data : Files.createTempDirectory("fabric-embedded-demo-");
        Path packageJar = Files.createTempFile("fabric-embedded-example02-", ".jar");
        try {
            extractPackage(packageJar);
            console.line("Fabric Embedded demo in %s%s", dir.toAbsolutePath(),
                    data != null ? "" : " (temporary, deleted afterwards)");
            run(console, dir, packageJar, start);
        } finally {
            Files.deleteIfExists(packageJar);
            if (data == null) {
                FileTree.delete(dir);
            }
        }
        return 0;
    }

    private void run(Console console, Path dir, Path packageJar, long start) throws Exception {
        NetworkLayout layout = console.step("generate org1, org2 and the orderer organization (cryptogen layout), "
                + "mychannel genesis block", () -> EmbeddedNetwork.create(dir, 2));
        List<SubmitResult> moves = new ArrayList<>();
        long height;
        Duration batchTimeout;
        String a;
        String b;
        EmbeddedNetwork network = console.step("start the orderer and 2 peers, create mychannel, join it",
                () -> EmbeddedNetwork.open(layout.root()));
        try {
            String channel = network.channelId();
            for (String org : network.organizations()) {
                InstallCommand.install(console, network, org, packageJar, CHAINCODE, VERSION);
            }
            SubmitResult deploy = DeployOptions.deploy(console, network, "org1", NetworkLayout.ADMIN, channel, false,
                    CHAINCODE, VERSION, List.of("init", "a", "100", "b", "200"), POLICY);
            console.line("  txid %s %s in block %d", deploy.txId(), deploy.code(), deploy.blockNumber());
            for (int i = 0; i < MOVES; i++) {
                String org = network.organizations().get(i % 2);
                SubmitResult move = InvokeCommand.invoke(console, network, org, NetworkLayout.USER1, channel,
                        CHAINCODE, List.of("move", "a", "b", "10"));
                console.line("  txid %s %s in block %d (as User1@%s; endorse %s, order+commit %s)%s",
                        move.txId(), move.code(), move.blockNumber(), NetworkLayout.domain(i % 2 + 1),
                        Console.duration(move.endorseTime().toNanos()),
                        Console.duration(move.orderAndCommitTime().toNanos()),
                        i == 0 ? "\n  (the first endorsement on peer0.org2 starts its chaincode process)" : "");
                moves.add(move);
            }
            a = QueryCommand.query(console, network, "org1", NetworkLayout.USER1, channel, CHAINCODE,
                    List.of("query", "a"));
            console.line("  a = %s", a);
            b = QueryCommand.query(console, network, "org2", NetworkLayout.USER1, channel, CHAINCODE,
                    List.of("query", "b"));
            console.line("  b = %s", b);
            height = network.channel("org1").height();
            batchTimeout = network.channel("org1").config().batchSettings().batchTimeout();
            console.step("stop the chaincode processes, peers and orderer", () -> {
                network.close();
                return null;
            });
        } finally {
            network.close(); // idempotent; closes on the way out of a failed step
        }
        long firstMove = moves.get(0).totalTime().toNanos();
        long laterMoves = moves.stream().skip(1).mapToLong(m -> m.totalTime().toNanos()).sum() / (MOVES - 1);
        console.line("");
        console.line("Summary");
        console.line("  network          2 organizations + orderer, channel mychannel, %d blocks", height);
        console.line("  chaincode        %s %s (example02) in its own process, policy %s", CHAINCODE, VERSION,
                POLICY);
        console.line("  transactions     1 instantiate + %d x move a b 10, all VALID", MOVES);
        console.line("  move latency     %s on average after the first (%s, which started org2's chaincode); "
                + "endorse on 2 peers, order (batch timeout %s), validate, commit", Console.duration(laterMoves),
                Console.duration(firstMove), Console.duration(batchTimeout.toNanos()));
        console.line("  final state      a = %s, b = %s (expected 50 and 250)", a, b);
        console.line("  total            %s", Console.duration(System.nanoTime() - start));
        if (!"50".equals(a) || !"250".equals(b)) {
            throw new CommandFailedException("unexpected final state a = " + a + ", b = " + b
                    + " (expected a = 50, b = 250)");
        }
    }

    /** Copies the example02 package shipped inside this jar to a file the peers can install. */
    private static void extractPackage(Path target) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream(PACKAGE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the example02 chaincode package is missing from the class path ("
                        + DemoCommand.class.getPackageName().replace('.', '/') + "/" + PACKAGE_RESOURCE
                        + "); rebuild with: mvn -B -q install -DskipTests");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
