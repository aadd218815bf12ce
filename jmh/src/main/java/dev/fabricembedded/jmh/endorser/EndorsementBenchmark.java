package dev.fabricembedded.jmh.endorser;

import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Endorsement throughput of {@code Endorser.processProposal} for an invoke doing one {@code getState} and one
 * {@code putState} in a chaincode running as a child JVM ({@link GetPutChaincode}), with 1 and 2 client threads,
 * beside the raw crypto an endorsement cannot avoid in the same run: one ECDSA verify of the client's proposal
 * signature and one ECDSA sign of the proposal response payload ({@code cryptoOnly}, the ceiling).
 *
 * <p>Each endorsement: expiry filter, the 14 proposal checks (signature verified), duplicate-txid lookup,
 * {@code peer/Propose} ACL (the policy recalls the signature the checks just verified instead of verifying it again;
 * Fabric verifies twice), simulator, lscc definition read and instantiation-policy check (remembered per package), TRANSACTION to the child JVM, GET_STATE and PUT_STATE served from the simulator,
 * COMPLETED, rwset, proposal hash, signed endorsement. Nothing is committed, so each client thread cycles through a
 * pool of pre-signed proposals on its own key.
 *
 * <p>Warm-up: 8 iterations of 2 s by default, because each trial starts a fresh chaincode JVM and the path reaches its
 * steady state only after ~12 s (measured from a cold start, 2 s iterations: 654, 1,531, 1,856, 2,973, 3,214, 4,698
 * ops/s, then a plateau of 3,700-4,600); with the two warm-up iterations this class had before, the measured
 * iterations still climbed and the score reported the warm-up, not the endorser.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true", "-Dpauser.minProcessors=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class EndorsementBenchmark {

    private static final String CHAINCODE = "getput";
    private static final int POOL = 256;

    /** The peer with {@code getput:1.0} instantiated and running. */
    @State(Scope.Benchmark)
    public static class Peer {
        BenchmarkPeer peer;
        /** A real proposal response payload followed by the endorser's identity: what an endorsement signs. */
        byte[] endorsedBytes;

        @Setup(Level.Trial)
        public void start() throws IOException {
            peer = new BenchmarkPeer();
            peer.install(CHAINCODE, "1.0");
            peer.instantiate(CHAINCODE, "1.0");
            final ProposalResponse sample = peer.endorser.processProposal(ProposalBuilder
                    .invoke(BenchmarkPeer.CHANNEL, CHAINCODE).args("getput", "k0").build(peer.client())
                    .signedProposal());
            BenchmarkPeer.require(sample, "sample invoke");
            endorsedBytes = sample.getPayload().concat(sample.getEndorsement().getEndorser()).toByteArray();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            peer.close();
        }
    }

    /** One client thread: its pre-signed proposals and the identities the crypto baseline uses. */
    @State(Scope.Thread)
    public static class Client {
        SignedProposal[] proposals;
        int next;
        Identity creator;
        SigningIdentity endorser;
        byte[] proposalBytes;
        byte[] proposalSignature;
        byte[] endorsedBytes;

        @Setup(Level.Trial)
        public void prepare(final Peer peer, final ThreadParams thread) {
            final ProposalBuilder builder = ProposalBuilder.invoke(BenchmarkPeer.CHANNEL, CHAINCODE)
                    .args("getput", "k" + thread.getThreadIndex());
            proposals = new SignedProposal[POOL];
            for (int i = 0; i < POOL; i++) {
                proposals[i] = builder.build(peer.peer.client()).signedProposal();
            }
            creator = peer.peer.org.msp().deserializeIdentity(peer.peer.client().serialized());
            endorser = peer.peer.org.signer(NodeRole.PEER);
            proposalBytes = proposals[0].getProposalBytes().toByteArray();
            proposalSignature = proposals[0].getSignature().toByteArray();
            endorsedBytes = peer.endorsedBytes;
        }

        SignedProposal nextProposal() {
            final SignedProposal proposal = proposals[next];
            next = (next + 1) % POOL;
            return proposal;
        }
    }

    private static ProposalResponse endorse(final Peer peer, final Client client) {
        final ProposalResponse response = peer.peer.endorser.processProposal(client.nextProposal());
        if (response.getResponse().getStatus() != 200) {
            throw new IllegalStateException("endorsement failed: " + response.getResponse().getMessage());
        }
        return response;
    }

    private static byte[] crypto(final Client client) {
        if (!client.creator.verify(client.proposalBytes, client.proposalSignature).isValid()) {
            throw new IllegalStateException("baseline signature does not verify");
        }
        return client.endorser.sign(client.endorsedBytes);
    }

    @Benchmark
    @Threads(1)
    public ProposalResponse endorse1Thread(final Peer peer, final Client client) {
        return endorse(peer, client);
    }

    @Benchmark
    @Threads(2)
    public ProposalResponse endorse2Threads(final Peer peer, final Client client) {
        return endorse(peer, client);
    }

    /** Baseline: one verify and one sign, the crypto an endorsement needs at the least. */
    @Benchmark
    @Threads(1)
    public byte[] cryptoOnly1Thread(final Peer peer, final Client client) {
        return crypto(client);
    }

    /** Baseline with two threads. */
    @Benchmark
    @Threads(2)
    public byte[] cryptoOnly2Threads(final Peer peer, final Client client) {
        return crypto(client);
    }
}
