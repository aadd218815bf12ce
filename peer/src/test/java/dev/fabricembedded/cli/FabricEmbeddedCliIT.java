package dev.fabricembedded.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.SignedTransactions;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.folder.MspFolder;
import dev.fabricembedded.peer.ExampleJars;
import dev.fabricembedded.peer.network.EmbeddedNetwork;
import dev.fabricembedded.peer.network.NetworkLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it: {@code bin/fabric-embedded} (the launcher script running the shaded CLI jar
 * of the package phase) as a child process per command, on one network data directory, in the order of the
 * README's session. Run by maven-failsafe ({@code mvn verify}) because it needs the jar.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FabricEmbeddedCliIT {

    private static final long COMMAND_TIMEOUT_SECONDS = 180;

    @TempDir
    static Path tmp;

    /** What a command did. */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Path data() {
        return tmp.resolve("network");
    }

    private static Path launcher() {
        String configured = System.getProperty("fabric.embedded.launcher");
        Path path = configured != null ? Path.of(configured) : Path.of("..", "bin", "fabric-embedded");
        assertThat(path).as("the launcher script").isRegularFile().isExecutable();
        return path.toAbsolutePath().normalize();
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", args) + " did not finish within " + COMMAND_TIMEOUT_SECONDS
                    + " s; output so far:\n" + Files.readString(out) + Files.readString(err));
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        // every chaincode process a command started has ended with it
        assertThat(process.descendants().filter(ProcessHandle::isAlive).toList())
                .as("processes left by %s", String.join(" ", args)).isEmpty();
        return run;
    }

    private static void assertSucceeded(Run run) {
        assertThat(run.exit()).as("exit status; stdout:%n%s%nstderr:%n%s", run.out(), run.err()).isZero();
        assertThat(run.err()).as("stderr of a successful command").isEmpty();
    }

    @Test
    @Order(1)
    void networkInitCreatesTheOrganizationsAndTheChannel() throws Exception {
        Run run = run("network", "init", "--data", data().toString(), "--orgs", "2");

        assertSucceeded(run);
        assertThat(run.out()).contains("network ready in " + data().toAbsolutePath(), "Org1MSP", "Org2MSP",
                "channel      mychannel, height 1");
        assertThat(data().resolve("crypto/peerOrganizations/org2.example.com/users/User1@org2.example.com/msp"))
                .isDirectory();
    }

    @Test
    @Order(2)
    void installPutsThePackageOnEveryPeer() throws Exception {
        Run run = run("install", "--data", data().toString(), "--package", ExampleJars.jar("example02").toString(),
                "--name", "mycc", "--version", "1.0");

        assertSucceeded(run);
        assertThat(run.out()).contains("install mycc 1.0 on peer0.org1.example.com ... ",
                "install mycc 1.0 on peer0.org2.example.com ... ");
        assertThat(data().resolve("peers/peer0.org1.example.com/chaincodes/mycc.1.0")).isRegularFile();
        assertThat(data().resolve("peers/peer0.org2.example.com/chaincodes/mycc.1.0")).isRegularFile();
    }

    @Test
    @Order(3)
    void instantiateRunsInitThroughLscc() throws Exception {
        Run run = run("instantiate", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc",
                "--version", "1.0", "--args", "[\"init\",\"a\",\"100\",\"b\",\"200\"]",
                "--policy", "AND('Org1MSP.member','Org2MSP.member')");

        assertSucceeded(run);
        assertThat(run.out()).contains("validation code: VALID (block 1)").containsPattern("txid: +[0-9a-f]{64}");
    }

    @Test
    @Order(4)
    void invokePrintsTheTxIdAndValid() throws Exception {
        Run run = run("invoke", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc",
                "--args", "[\"move\",\"a\",\"b\",\"10\"]");

        assertSucceeded(run);
        assertThat(run.out()).containsPattern("txid: +[0-9a-f]{64}").contains("validation code: VALID (block 2)");
    }

    @Test
    @Order(5)
    void queryPrintsThePayload() throws Exception {
        Run a = run("query", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc",
                "--args", "[\"query\",\"a\"]");
        assertSucceeded(a);
        assertThat(a.out()).contains("payload: 90");

    }

    @Test
    @Order(6)
    void aFailingInvokeIsOneErrorLineAndANonZeroExit() throws Exception {
        Run unknownFunction = run("invoke", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc",
                "--args", "[\"transfer\",\"a\",\"b\",\"10\"]");
        assertThat(unknownFunction.exit()).isEqualTo(1);
        assertThat(unknownFunction.errLines()).singleElement().asString()
                .startsWith("Error: ")
                .contains("status 500")
                .contains("Invalid invoke function name. Expecting \"invoke\" \"delete\" \"query\"");

        Run badArgs = run("invoke", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc",
                "--args", "{\"Args\":[\"query\",\"a\"]}");
        assertThat(badArgs.exit()).isEqualTo(1);
        assertThat(badArgs.errLines()).singleElement().asString()
                .startsWith("Error: invalid --args").contains("expected '['");

        Run missingOption = run("query", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc");
        assertThat(missingOption.exit()).isEqualTo(2);
        assertThat(missingOption.errLines()).singleElement().asString()
                .startsWith("Error: Missing required option: '--args=JSON'");

        Run notANetwork = run("blocks", "--data", tmp.toString(), "--channel", "mychannel");
        assertThat(notANetwork.exit()).isEqualTo(1);
        assertThat(notANetwork.errLines()).singleElement().asString()
                .contains("is not a network data directory");
    }

    @Test
    @Order(7)
    void endorseAndBroadcastTakeMessagesFromAnotherClient() throws Exception {
        // a "Fabric client" outside the CLI: builds and signs the proposal, assembles the envelope
        NetworkLayout layout = NetworkLayout.read(data());
        SigningIdentity user = MspFolder.read(layout.userMsp(2, NetworkLayout.USER1), "Org2MSP").signer();
        ClientProposal proposal = ProposalBuilder.invoke("mychannel", "mycc").args("move", "b", "a", "5")
                .build(user);
        Path proposalFile = tmp.resolve("proposal.bin");
        Files.write(proposalFile, proposal.signedProposal().toByteArray());

        List<ProposalResponse> responses = new ArrayList<>();
        for (String org : List.of("org1", "org2")) {
            Path responseFile = tmp.resolve("response-" + org + ".bin");
            Run endorse = run("endorse", "--data", data().toString(), "--proposal", proposalFile.toString(),
                    "--out", responseFile.toString(), "--org", org);
            assertSucceeded(endorse);
            assertThat(endorse.out()).contains("response: status 200");
            responses.add(ProposalResponse.parseFrom(Files.readAllBytes(responseFile)));
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.getResponse().getStatus()).isEqualTo(200));

        Path envelopeFile = tmp.resolve("envelope.bin");
        Files.write(envelopeFile, SignedTransactions.create(proposal, responses, user).toByteArray());
        Run broadcast = run("broadcast", "--data", data().toString(), "--envelope", envelopeFile.toString());
        assertSucceeded(broadcast);
        assertThat(broadcast.out()).contains("txid:            " + proposal.txId(), "validation code: VALID");

        // the same envelope again: ordered, then invalidated by the committer as a duplicate
        Run again = run("broadcast", "--data", data().toString(), "--envelope", envelopeFile.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.errLines()).singleElement().asString().startsWith("Error: transaction ")
                .contains("was committed as invalid: DUPLICATE_TXID");

        // an endorsement a peer refuses (a proposal it has already committed): Fabric's error, nothing written
        Path refused = tmp.resolve("refused.bin");
        Run replay = run("endorse", "--data", data().toString(), "--proposal", proposalFile.toString(), "--out",
                refused.toString());
        assertThat(replay.exit()).isEqualTo(1);
        assertThat(replay.errLines()).singleElement().asString().startsWith("Error: ").contains("duplicate");
        assertThat(refused).doesNotExist();
    }

    @Test
    @Order(8)
    void blocksPrintsTheHeightAndOneLinePerBlock() throws Exception {
        Run run = run("blocks", "--data", data().toString(), "--channel", "mychannel");

        assertSucceeded(run);
        assertThat(run.out()).contains("channel mychannel on peer0.org1.example.com: height 5");
        assertThat(run.out().lines().filter(l -> l.startsWith("block ")).toList()).hasSize(5)
                .satisfies(lines -> {
                    assertThat(lines.get(0)).startsWith("block 0 ").contains("CONFIG");
                    assertThat(lines.get(1)).startsWith("block 1 ").contains("lscc VALID");
                    assertThat(lines.get(2)).startsWith("block 2 ").contains("mycc VALID");
                    assertThat(lines.get(3)).startsWith("block 3 ").contains("mycc VALID");
                    assertThat(lines.get(4)).startsWith("block 4 ").contains("mycc DUPLICATE_TXID");
                });
    }

    @Test
    @Order(9)
    void aSecondProcessOnTheSameDirectoryIsRefused() throws Exception {
        // this JVM holds the network open, as a running command would
        try (EmbeddedNetwork holder = EmbeddedNetwork.open(data())) {
            Run run = run("query", "--data", data().toString(), "--channel", "mychannel", "--name", "mycc",
                    "--args", "[\"query\",\"a\"]");

            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.errLines()).singleElement().asString().isEqualTo("Error: data directory "
                    + data().toAbsolutePath() + " is in use by process " + ProcessHandle.current().pid()
                    + "; wait for it to finish, only one process may open a network at a time");
            assertThat(holder.orderer().height("mychannel")).isEqualTo(5);
        }
    }

    @Test
    @Order(10)
    void demoRunsTheWholeFlowAndCleansUp() throws Exception {
        List<Path> before = demoDirectories();
        Run run = run("demo");

        assertSucceeded(run);
        assertThat(run.out()).contains("instantiate mycc 1.0 on mychannel", "Summary",
                "1 instantiate + 5 x move a b 10, all VALID", "a = 50, b = 250");
        assertThat(run.out().lines().filter(l -> l.startsWith("invoke mycc [\"move\",\"a\",\"b\",\"10\"] ... ")))
                .hasSize(5);
        assertThat(demoDirectories()).as("the temporary demo directory is deleted").isEqualTo(before);
    }

    private static List<Path> demoDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("fabric-embedded-demo-")).sorted()
                    .toList();
        }
    }
}
