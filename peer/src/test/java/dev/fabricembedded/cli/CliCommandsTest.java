package dev.fabricembedded.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabricembedded.peer.ExampleJars;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands run in this JVM through {@link FabricEmbeddedCli#commandLine(boolean)} (the process-level test,
 * {@code FabricEmbeddedCliIT}, runs the launcher): the lifecycle beyond the README session (upgrade), identity
 * selection, and the errors of {@code network init} and {@code install}.
 */
class CliCommandsTest {

    /**
     * Daemon threads a JVM starts once and keeps (the JDK's process reaper, Chronicle's resource releaser, the common
     * pool's workers): not owned by a network, so not leaks.
     */
    private static final Set<String> JVM_WIDE_THREADS = Set.of("process reaper", "background~resource~releaser",
            "Common-Cleaner");

    @TempDir
    Path tmp;

    private static boolean isJvmWide(Thread thread) {
        // common-pool workers linger up to 60 s after use, whoever used the pool
        return JVM_WIDE_THREADS.contains(thread.getName())
                || thread.getName().startsWith("ForkJoinPool.commonPool-worker-");
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Result cli(String... args) {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Result result = execute(args);
        // each command closed its network: no chaincode process and no thread of it is left
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("child processes left by %s", List.of(args)).isEmpty();
        assertThat(threadsStartedSince(before)).as("threads left by %s", List.of(args)).isEmpty();
        return result;
    }

    /** Threads started since {@code before} still alive, after a bounded wait for them to end. */
    private static List<String> threadsStartedSince(Set<Thread> before) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !isJvmWide(t))
                    .map(Thread::getName).sorted().toList();
            if (left.isEmpty()) {
                return left;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return left;
            }
        } while (System.nanoTime() < deadline);
        return left;
    }

    private static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FabricEmbeddedCli.commandLine(false).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static Result ok(String... args) {
        Result result = cli(args);
        assertThat(result.exit()).as("%s%nstdout:%n%s%nstderr:%n%s", List.of(args), result.out(), result.err())
                .isZero();
        assertThat(result.err()).isEmpty();
        return result;
    }

    @Test
    void upgradeReplacesTheChaincodeAndRunsItsInit() {
        String data = tmp.resolve("net").toString();
        String jar = ExampleJars.jar("example02").toString();
        ok("network", "init", "--data", data, "--orgs", "1");
        ok("install", "--data", data, "--package", jar, "--name", "cc", "--version", "1");
        ok("instantiate", "--data", data, "--channel", "mychannel", "--name", "cc", "--version", "1",
                "--args", "[\"init\",\"a\",\"100\",\"b\",\"200\"]");

        Result again = cli("install", "--data", data, "--package", jar, "--name", "cc", "--version", "1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.errLines()).singleElement().asString().startsWith("Error: ")
                .contains("error installing chaincode code cc:1(chaincode ").endsWith("exists)");

        ok("install", "--data", data, "--package", jar, "--name", "cc", "--version", "2");
        Result upgrade = ok("upgrade", "--data", data, "--channel", "mychannel", "--name", "cc", "--version", "2",
                "--args", "[\"init\",\"a\",\"7\",\"b\",\"8\"]", "--policy", "OR('Org1MSP.member')");
        assertThat(upgrade.out()).contains("upgrade cc 2 on mychannel", "validation code: VALID (block 2)");

        assertThat(ok("query", "--data", data, "-C", "mychannel", "--name", "cc", "--args", "[\"query\",\"a\"]")
                .out()).contains("payload: 7");
        assertThat(ok("blocks", "--data", data, "-C", "mychannel").out()).contains("height 3")
                .contains("block 2 ").contains("lscc VALID");
    }

    @Test
    void theIdentityOptionsChooseWhoSigns() {
        String data = tmp.resolve("net").toString();
        ok("network", "init", "--data", data, "--orgs", "2");
        ok("install", "--data", data, "--package", ExampleJars.jar("example02").toString(), "--name", "cc",
                "--version", "1", "--org", "org2");

        // only org2's peer has the package, and only org2's Admin may instantiate from it
        Result asUser = cli("instantiate", "--data", data, "-C", "mychannel", "--name", "cc", "--version", "1",
                "--args", "[\"init\",\"a\",\"1\",\"b\",\"2\"]", "--org", "org2", "--user", "User1");
        assertThat(asUser.exit()).isEqualTo(1);
        assertThat(asUser.errLines()).singleElement().asString().startsWith("Error: ");

        Result asOrg2Admin = ok("instantiate", "--data", data, "-C", "mychannel", "--name", "cc", "--version", "1",
                "--args", "[\"init\",\"a\",\"1\",\"b\",\"2\"]", "--org", "Org2MSP", "--policy",
                "OR('Org2MSP.member')");
        assertThat(asOrg2Admin.out()).contains("validation code: VALID");

        Result b = ok("query", "--data", data, "-C", "mychannel", "--name", "cc", "--args", "[\"query\",\"b\"]",
                "--org", "org2");
        assertThat(b.out()).contains("payload: 2");
        Result unknownChannel = cli("query", "--data", data, "--channel", "otherchannel", "--name", "cc", "--args",
                "[\"query\",\"a\"]");
        assertThat(unknownChannel.exit()).isEqualTo(1);
        assertThat(unknownChannel.errLines()).containsExactly(
                "Error: channel otherchannel does not exist: this network has channel mychannel");
        Result unknownUser = cli("query", "--data", data, "-C", "mychannel", "--name", "cc", "--args",
                "[\"query\",\"a\"]", "--org", "org2", "--user", "User7");
        assertThat(unknownUser.exit()).isEqualTo(1);
        assertThat(unknownUser.errLines()).containsExactly(
                "Error: unknown user 'User7': each organization has the users Admin and User1");
        Result unknownOrg = cli("query", "--data", data, "-C", "mychannel", "--name", "cc", "--args",
                "[\"query\",\"a\"]", "--org", "org3");
        assertThat(unknownOrg.errLines()).containsExactly(
                "Error: unknown organization 'org3': this network has org1, org2");
    }

    @Test
    void networkInitRefusesADirectoryInUseOrNotEmpty() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("keep.txt"), "x");

        Result result = cli("network", "init", "--data", dir.toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().isEqualTo("Error: cannot initialize a network in "
                + dir.toAbsolutePath() + ": it is not an empty directory (choose a new directory, or delete this "
                + "one)");
        assertThat(dir.resolve("keep.txt")).hasContent("x");

        Result orgs = cli("network", "init", "--data", tmp.resolve("other").toString(), "--orgs", "0");
        assertThat(orgs.exit()).isEqualTo(1);
        assertThat(orgs.errLines()).containsExactly("Error: the number of organizations must be between 1 and 16, "
                + "got 0");
    }

    @Test
    void demoWithDataKeepsANetworkTheOtherCommandsUse() {
        String data = tmp.resolve("demo").toString();
        Result demo = ok("demo", "--data", data);
        assertThat(demo.out()).contains("Fabric Embedded demo in " + tmp.resolve("demo").toAbsolutePath() + "\n",
                "a = 50, b = 250");

        assertThat(ok("query", "--data", data, "-C", "mychannel", "--name", "mycc", "--args", "[\"query\",\"b\"]")
                .out()).contains("payload: 250");
        assertThat(ok("blocks", "--data", data, "-C", "mychannel").out()).contains("height 7");

        Result again = cli("demo", "--data", data);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.errLines()).singleElement().asString().contains("it is not an empty directory");
    }

    @Test
    void aMissingInputFileIsNamed() {
        Path missing = tmp.resolve("no-such-proposal.bin");
        Result endorse = cli("endorse", "--data", tmp.toString(), "--proposal", missing.toString(), "--out",
                tmp.resolve("out.bin").toString());
        assertThat(endorse.exit()).isEqualTo(1);
        assertThat(endorse.errLines()).containsExactly("Error: no such file or directory: " + missing);
    }

    @Test
    void aFileThatIsNotTheExpectedMessageIsRefused() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello, not a protobuf");
        Result broadcast = cli("broadcast", "--data", tmp.toString(), "--envelope", text.toString());
        assertThat(broadcast.exit()).isEqualTo(1);
        assertThat(broadcast.errLines()).singleElement().asString()
                .startsWith("Error: " + text + " does not hold a transaction Envelope");
        Path empty = Files.write(tmp.resolve("empty.bin"), new byte[0]);
        Result endorse = cli("endorse", "--data", tmp.toString(), "--proposal", empty.toString(), "--out",
                tmp.resolve("out.bin").toString());
        assertThat(endorse.errLines()).singleElement().asString()
                .isEqualTo("Error: " + empty + " does not hold a SignedProposal (no proposal bytes)");
    }

    @Test
    void everyCommandOfTheIssueIsThere() {
        Result help = ok("--help");
        assertThat(help.out()).contains("demo", "network", "install", "instantiate", "upgrade", "invoke", "query",
                "blocks", "endorse", "broadcast");
        Result unknown = cli("deploy");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).singleElement().asString().startsWith("Error: Unmatched argument");
    }
}
