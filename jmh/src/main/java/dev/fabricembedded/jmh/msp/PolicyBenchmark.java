package dev.fabricembedded.jmh.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
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

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A 2-of-3 signature policy ({@code OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')}) evaluated
 * against endorsements from two and from three organisations, beside the two raw BouncyCastle verifications
 * (SHA-256 + ECDSA over 1 KiB, pre-decoded signatures and keys) that any evaluation needs. Goal: evaluation at most
 * 10% above {@code rawTwoVerifies}.
 *
 * <p>Each call builds its signature set from fresh {@link ByteString} copies, as parsing a transaction does, so the
 * identity-cache lookups hash the serialized identities every time instead of reusing a cached hash code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class PolicyBenchmark {

    private static final int SIGNERS = 3;

    private CompiledSignaturePolicy twoOfThree;
    private final byte[][] data = new byte[SIGNERS][];
    private final byte[][] identities = new byte[SIGNERS][];
    private final byte[][] signatures = new byte[SIGNERS][];
    private final ECPublicKeyParameters[] keys = new ECPublicKeyParameters[SIGNERS];
    private final BigInteger[][] rs = new BigInteger[SIGNERS][];

    @Setup
    public void setUp() {
        Organization[] orgs = {Organization.generate("Org1MSP", "org1.example.com"),
                Organization.generate("Org2MSP", "org2.example.com"),
                Organization.generate("Org3MSP", "org3.example.com")};
        MspManager channel = MspManager.of(orgs[0].msp(), orgs[1].msp(), orgs[2].msp());
        twoOfThree = CompiledSignaturePolicy.compile(
                PolicyDsl.parse("OutOf(2, 'Org1MSP.member', 'Org2MSP.member', 'Org3MSP.member')"), channel);
        Random random = new Random(7);
        for (int i = 0; i < SIGNERS; i++) {
            SigningIdentity peer = orgs[i].signer(NodeRole.PEER);
            data[i] = new byte[1024];
            random.nextBytes(data[i]);
            identities[i] = peer.serialize();
            signatures[i] = peer.sign(data[i]);
            keys[i] = orgs[i].peer().keyPair().publicKey();
            EcdsaSignature parsed = EcdsaSignature.fromDer(signatures[i]);
            rs[i] = new BigInteger[] {parsed.r(), parsed.s()};
        }
        if (!twoOfTwoSignatures().isSatisfied() || !twoOfThreeSignatures().isSatisfied() || rawTwoVerifies() != 2) {
            throw new IllegalStateException("benchmark set-up is not satisfied");
        }
    }

    private SignedData signedData(int i) {
        return new SignedData(ByteString.copyFrom(data[i]), ByteString.copyFrom(identities[i]),
                ByteString.copyFrom(signatures[i]));
    }

    private boolean rawVerify(int i) {
        ECDSASigner engine = new ECDSASigner();
        engine.init(false, keys[i]);
        return engine.verifySignature(Sha256.digest(data[i]), rs[i][0], rs[i][1]);
    }

    @Benchmark
    public int rawTwoVerifies() {
        return (rawVerify(0) ? 1 : 0) + (rawVerify(1) ? 1 : 0);
    }

    @Benchmark
    public PolicyResult twoOfTwoSignatures() {
        return twoOfThree.evaluate(List.of(signedData(0), signedData(1)));
    }

    @Benchmark
    public PolicyResult twoOfThreeSignatures() {
        return twoOfThree.evaluate(List.of(signedData(0), signedData(1), signedData(2)));
    }
}
