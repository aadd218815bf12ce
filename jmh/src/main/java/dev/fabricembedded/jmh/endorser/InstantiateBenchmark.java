package dev.fabricembedded.jmh.endorser;

import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Latency of an instantiate ({@code lscc deploy} through {@code Endorser.processProposal}: LSCC, then the
 * chaincode's Init writing two keys, then the endorsement) when the chaincode must be started ({@code cold}: a child
 * JVM is launched and registers) and when it already runs ({@code warm}). Baseline in the same run:
 * {@code lsccQuery}, an endorsed proposal to an in-process system chaincode ({@code lscc getchaincodes}), the
 * endorsement pipeline without any child process. Deploys are never committed, so the same chaincode can be deployed
 * again and again.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true", "-Dpauser.minProcessors=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class InstantiateBenchmark {

    private static final String CHAINCODE = "getput";

    /** A peer with the package installed; each invocation starts from a fresh endorser with no chaincode running. */
    @State(Scope.Benchmark)
    public static class Cold {
        BenchmarkPeer peer;
        SignedProposal deploy;

        @Setup(Level.Trial)
        public void start() throws IOException {
            peer = new BenchmarkPeer();
            peer.install(CHAINCODE, "1.0");
        }

        @Setup(Level.Invocation)
        public void stopChaincodes() {
            peer.restartEndorser();
            deploy = peer.deployProposal(CHAINCODE, "1.0", "a", "b").signedProposal();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            peer.close();
        }
    }

    /** A peer whose chaincode already runs (deployed once, not committed). */
    @State(Scope.Benchmark)
    public static class Warm {
        BenchmarkPeer peer;
        SignedProposal[] deploys;
        SignedProposal lsccQuery;
        int next;

        @Setup(Level.Trial)
        public void start() throws IOException {
            peer = new BenchmarkPeer();
            peer.install(CHAINCODE, "1.0");
            deploys = new SignedProposal[64];
            for (int i = 0; i < deploys.length; i++) {
                final ClientProposal proposal = peer.deployProposal(CHAINCODE, "1.0", "a", "b");
                deploys[i] = proposal.signedProposal();
            }
            BenchmarkPeer.require(peer.endorser.processProposal(deploys[0]), "first deploy");
            lsccQuery = ProposalBuilder.invoke(BenchmarkPeer.CHANNEL, "lscc").args("getchaincodes")
                    .build(peer.admin()).signedProposal();
        }

        SignedProposal nextDeploy() {
            final SignedProposal proposal = deploys[next];
            next = (next + 1) % deploys.length;
            return proposal;
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            peer.close();
        }
    }

    private static ProposalResponse checked(final ProposalResponse response) {
        BenchmarkPeer.require(response, "proposal");
        return response;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 6)
    public ProposalResponse cold(final Cold state) {
        return checked(state.peer.endorser.processProposal(state.deploy));
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public ProposalResponse warm(final Warm state) {
        return checked(state.peer.endorser.processProposal(state.nextDeploy()));
    }

    /** Baseline: an endorsed query of an in-process system chaincode. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 3, time = 2)
    public ProposalResponse lsccQuery(final Warm state) {
        return checked(state.peer.endorser.processProposal(state.lsccQuery));
    }
}
