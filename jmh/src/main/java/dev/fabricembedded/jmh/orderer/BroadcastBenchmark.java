package dev.fabricembedded.jmh.orderer;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.orderer.channelconfig.ConfigKeys;
import dev.fabricembedded.orderer.solo.SoloOrderer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Sustained broadcast into the solo orderer from one client thread, beside the work broadcast cannot avoid.
 *
 * <ul>
 *   <li>{@code broadcast}: {@code SoloOrderer.broadcast} of pre-signed ~1.2 KB endorser-transaction envelopes
 *   (header parse, AbsoluteMaxBytes, expiry, {@code /Channel/Writers} with one ECDSA verify, enqueue); the
 *   channel's ordering thread meanwhile cuts 500-envelope blocks, signs them and appends them with an fsync. The
 *   queue (1,000) makes the client wait when ordering falls behind, so this is the channel's sustained rate.</li>
 *   <li>{@code writersPolicyOnly} (baseline): evaluating {@code /Channel/Writers} on the same signed data, i.e.
 *   the signature verification the filter must do.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class BroadcastBenchmark {

    private static final String CHANNEL = "bench";
    private static final int ENVELOPES = 4096;

    private Path directory;
    private SoloOrderer orderer;
    private ChannelConfig config;
    private Envelope[] envelopes;
    private List<SignedData>[] signedData;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() throws IOException {
        Organization org1 = Organization.generate("Org1MSP", "org1.example.com");
        Organization ordererOrg = Organization.generate("OrdererMSP", "example.com");
        Block genesis = ChannelProfile.builder(CHANNEL).applicationOrganization(org1.mspConfig())
                .ordererOrganization(ordererOrg.mspConfig())
                .batchSettings(BatchSettings.FABRIC_SAMPLE.withBatchTimeout(Duration.ofMillis(100)))
                .build().genesisBlock();
        config = ChannelConfig.fromGenesisBlock(genesis);
        directory = Files.createTempDirectory("jmh-orderer");
        orderer = SoloOrderer.builder(directory, ordererOrg.signer(NodeRole.ORDERER)).open();
        orderer.createChannel(genesis);
        SigningIdentity client = org1.signer(NodeRole.CLIENT);
        SecureRandom random = new SecureRandom();
        envelopes = new Envelope[ENVELOPES];
        signedData = new List[ENVELOPES];
        for (int i = 0; i < ENVELOPES; i++) {
            envelopes[i] = envelope(client, random);
            SignatureHeader header = SignatureHeader.parseFrom(Payload.parseFrom(envelopes[i].getPayload()).getHeader()
                    .getSignatureHeader());
            signedData[i] = List.of(new SignedData(envelopes[i].getPayload(), header.getCreator(),
                    envelopes[i].getSignature()));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        orderer.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public BroadcastResponse broadcast() {
        BroadcastResponse response = orderer.broadcast(envelopes[next++ & (ENVELOPES - 1)]);
        if (response.getStatus() != Status.SUCCESS) {
            throw new IllegalStateException(response.getStatus() + " " + response.getInfo());
        }
        return response;
    }

    @Benchmark
    public PolicyResult writersPolicyOnly() {
        return config.evaluate(ConfigKeys.CHANNEL_WRITERS, signedData[next++ & (ENVELOPES - 1)]);
    }

    private static Envelope envelope(SigningIdentity signer, SecureRandom random) {
        byte[] nonce = new byte[24];
        random.nextBytes(nonce);
        ByteString creator = signer.serialized();
        ChannelHeader channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL)
                .setTxId(HexFormat.of().formatHex(Sha256.digest(nonce, creator.toByteArray()))).build();
        SignatureHeader signatureHeader = SignatureHeader.newBuilder().setCreator(creator)
                .setNonce(ByteString.copyFrom(nonce)).build();
        byte[] data = new byte[300];
        random.nextBytes(data);
        ByteString payload = Payload.newBuilder().setHeader(Header.newBuilder()
                        .setChannelHeader(channelHeader.toByteString()).setSignatureHeader(signatureHeader.toByteString()))
                .setData(ByteString.copyFrom(data)).build().toByteString();
        return Envelope.newBuilder().setPayload(payload)
                .setSignature(ByteString.copyFrom(signer.sign(payload.toByteArray()))).build();
    }
}
