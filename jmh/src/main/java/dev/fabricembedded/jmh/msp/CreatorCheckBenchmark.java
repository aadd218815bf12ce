package dev.fabricembedded.jmh.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The creator checks an endorser runs on every proposal to an application chaincode: the proposal checks verify the
 * creator's signature over the proposal bytes, then the {@code peer/Propose} ACL evaluates a policy
 * ({@code OR('Org1MSP.member')}, what an organisation's {@code Writers} is) over the same signed data. Fabric verifies
 * twice ({@code creatorCheckVerifyingTwice}, what this peer did before); with {@code Identity.verifyAndRemember} and
 * the policy's {@code verifyOrRecall} the second is recalled ({@code creatorCheckRecalling}). Baseline in the same run:
 * one {@code Identity.verify} ({@code oneVerify}), the least the checks can cost.
 *
 * <p>Each call works on fresh {@link ByteString} copies of one of 256 pre-signed 1 KiB proposals, as parsing a proposal
 * gives, and deserializes the creator through the channel's {@link MspManager} (cached), as both checks do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class CreatorCheckBenchmark {

    private static final int POOL = 256;

    private MspManager channel;
    private CompiledSignaturePolicy writers;
    private byte[] creator;
    private final byte[][] proposals = new byte[POOL][];
    private final byte[][] signatures = new byte[POOL][];
    private int next;

    @Setup
    public void setUp() {
        Organization org1 = Organization.generate("Org1MSP", "org1.example.com");
        channel = MspManager.of(org1.msp());
        writers = CompiledSignaturePolicy.compile(PolicyDsl.parse("OR('Org1MSP.member')"), channel);
        SigningIdentity client = org1.signer(NodeRole.CLIENT);
        creator = client.serialize();
        Random random = new Random(7);
        for (int i = 0; i < POOL; i++) {
            proposals[i] = new byte[1024];
            random.nextBytes(proposals[i]);
            signatures[i] = client.sign(proposals[i]);
        }
        if (!creatorCheckRecalling().isSatisfied() || !creatorCheckVerifyingTwice().isSatisfied()
                || !oneVerify()) {
            throw new IllegalStateException("benchmark set-up does not verify");
        }
    }

    private SignedData nextSignedData() {
        int i = next;
        next = (i + 1) % POOL;
        return new SignedData(ByteString.copyFrom(proposals[i]), ByteString.copyFrom(creator),
                ByteString.copyFrom(signatures[i]));
    }

    /** The proposal checks with the remembering verify, then the ACL, which recalls. */
    @Benchmark
    public PolicyResult creatorCheckRecalling() {
        SignedData signed = nextSignedData();
        Identity identity = channel.deserializeIdentity(signed.identity());
        if (!identity.verifyAndRemember(signed.data(), signed.signature()).isValid()) {
            throw new IllegalStateException("does not verify");
        }
        return writers.evaluate(List.of(signed));
    }

    /** The proposal checks with a plain verify, then the ACL, which verifies again: Fabric's way, and ours before. */
    @Benchmark
    public PolicyResult creatorCheckVerifyingTwice() {
        SignedData signed = nextSignedData();
        Identity identity = channel.deserializeIdentity(signed.identity());
        if (!identity.verify(signed.data(), signed.signature()).isValid()) {
            throw new IllegalStateException("does not verify");
        }
        return writers.evaluate(List.of(signed));
    }

    /** Baseline: one verification through the MSP API. */
    @Benchmark
    public boolean oneVerify() {
        SignedData signed = nextSignedData();
        return channel.deserializeIdentity(signed.identity()).verify(signed.data(), signed.signature()).isValid();
    }
}
