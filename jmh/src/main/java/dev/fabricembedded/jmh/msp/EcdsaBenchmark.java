package dev.fabricembedded.jmh.msp;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Signing and verification through the msp API against raw BouncyCastle {@link ECDSASigner} on the same key and
 * 1 KiB message. Baselines: {@code rawBcSign} = SHA-256 + deterministic-k ECDSA (no low-S, no DER);
 * {@code rawBcVerify} = SHA-256 + ECDSA verification of pre-decoded (r, s). The msp variants add DER encoding,
 * low-S normalisation/enforcement and, for {@code cachedIdentityDeserializeAndVerify}, the identity cache lookup
 * of a freshly received {@code SerializedIdentity} (a new {@link ByteString} each call, as a parsed message gives).
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
public class EcdsaBenchmark {

    private byte[] message;
    private SigningIdentity signer;
    private Identity identity;
    private MspManager manager;
    private byte[] serializedIdentity;
    private byte[] signature;
    private ECPrivateKeyParameters privateKey;
    private ECPublicKeyParameters publicKey;
    private BigInteger r;
    private BigInteger s;

    @Setup
    public void setUp() {
        Organization org = Organization.generate("Org1MSP", "org1.example.com");
        message = new byte[1024];
        new Random(42).nextBytes(message);
        signer = org.signer(NodeRole.PEER);
        manager = MspManager.of(org.msp());
        serializedIdentity = signer.serialize();
        identity = manager.deserializeIdentity(ByteString.copyFrom(serializedIdentity));
        signature = signer.sign(message);
        privateKey = org.peer().keyPair().privateKey();
        publicKey = org.peer().keyPair().publicKey();
        EcdsaSignature parsed = EcdsaSignature.fromDer(signature);
        r = parsed.r();
        s = parsed.s();
        if (!identity.verify(message, signature).isValid() || !rawBcVerify()) {
            throw new IllegalStateException("benchmark set-up produced an invalid signature");
        }
    }

    @Benchmark
    public BigInteger[] rawBcSign() {
        ECDSASigner engine = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        engine.init(true, privateKey);
        return engine.generateSignature(Sha256.digest(message));
    }

    @Benchmark
    public byte[] signingIdentitySign() {
        return signer.sign(message);
    }

    @Benchmark
    public boolean rawBcVerify() {
        ECDSASigner engine = new ECDSASigner();
        engine.init(false, publicKey);
        return engine.verifySignature(Sha256.digest(message), r, s);
    }

    @Benchmark
    public VerificationResult identityVerify() {
        return identity.verify(message, signature);
    }

    @Benchmark
    public VerificationResult cachedIdentityDeserializeAndVerify() {
        return manager.deserializeIdentity(ByteString.copyFrom(serializedIdentity)).verify(message, signature);
    }
}
