package dev.fabricembedded.jmh.peer;

import dev.fabricembedded.endorser.runtime.FileTree;
import dev.fabricembedded.examples.KeyValueChaincode;
import dev.fabricembedded.gateway.Contract;
import dev.fabricembedded.gateway.Gateway;
import dev.fabricembedded.gateway.SubmitResult;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.orderer.channelconfig.BatchSettings;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.orderer.solo.SoloOrderer;
import dev.fabricembedded.peer.Peer;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
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
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * End-to-end {@code Contract.submit} through the gateway, closed loop with 1 and 2 client threads: the kv chaincode
 * (a child JVM) does one {@code putState}; one Org1 peer endorses; the solo orderer cuts a block per transaction
 * ({@code MaxMessageCount = 1}, so no batch timeout is waited for), signs and stores it; the peer's delivery thread
 * verifies, validates (VSCC) and commits it (block store synced, state applied) and completes the client's commit
 * wait. Throughput and latency (sample mode) are reported.
 *
 * <p>Beside it in the same run, {@code signatureWork}: the ECDSA P-256 work one such submit needs and nothing else,
 * 4 signs and 6 verifies on messages of the real sizes: client signs the proposal; the endorser verifies the proposal
 * signature twice (proposal checks, then the {@code peer/Propose} ACL policy, as Fabric does) and signs the
 * endorsement; the client signs the envelope; the orderer verifies it ({@code /Channel/Writers}) and signs the block;
 * the committer verifies the block signature, the envelope creator's signature and the endorsement (VSCC).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true", "-Dpauser.minProcessors=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class SubmitBenchmark {

    private static final String CHANNEL = "bench";
    private static final String CHAINCODE = "kv";

    private Path dir;
    private Organization org1;
    private SoloOrderer orderer;
    private Peer peer;
    private Gateway gateway;
    private Contract contract;
    /** Inputs of the signature baseline, of the sizes a real submit signs and verifies. */
    private SigningIdentity client;
    private SigningIdentity peerSigner;
    private SigningIdentity ordererSigner;
    private Identity clientIdentity;
    private Identity peerIdentity;
    private Identity ordererIdentity;
    private byte[] proposalBytes;
    private byte[] endorsementBytes;
    private byte[] envelopeBytes;
    private byte[] blockBytes;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("submit-benchmark-");
        org1 = Organization.generate("Org1MSP", "org1.example.com");
        final Organization ordererOrg = Organization.generate("OrdererMSP", "example.com");
        final Block genesis = ChannelProfile.builder(CHANNEL)
                .applicationOrganization(org1.mspConfig())
                .ordererOrganization(ordererOrg.mspConfig())
                .batchSettings(BatchSettings.EMBEDDED_DEFAULT.withMaxMessageCount(1))
                .build().genesisBlock();
        orderer = SoloOrderer.builder(dir.resolve("orderer"), ordererOrg.signer(NodeRole.ORDERER)).open();
        orderer.createChannel(genesis);
        peer = Peer.builder(dir.resolve("peer"))
                .signingIdentity(org1.signer(NodeRole.PEER))
                .localMsp(org1.msp())
                .orderer(orderer)
                .ledgerSettings(b -> b.stateEntries(2_000_000).txIndexEntries(2_000_000))
                .open();
        peer.joinChannel(genesis);
        try (Gateway admin = Gateway.builder().identity(org1.signer(NodeRole.ADMIN)).peers(peer).orderer(orderer)
                .build()) {
            admin.install(kvJar(dir), CHAINCODE, "1.0");
            admin.network(CHANNEL).instantiate(CHAINCODE, "1.0", List.of("init"), null);
        }
        gateway = Gateway.builder().identity(org1.signer(NodeRole.CLIENT)).peers(peer).orderer(orderer).build();
        contract = gateway.network(CHANNEL).contract(CHAINCODE);
        final SubmitResult sample = contract.submitTransaction("put", "sample", "value");
        if (sample.code() != TxValidationCode.VALID) {
            throw new IllegalStateException("sample submit not valid: " + sample);
        }

        client = org1.signer(NodeRole.CLIENT);
        peerSigner = org1.signer(NodeRole.PEER);
        ordererSigner = ordererOrg.signer(NodeRole.ORDERER);
        clientIdentity = org1.msp().deserializeIdentity(client.serialized());
        peerIdentity = org1.msp().deserializeIdentity(peerSigner.serialized());
        ordererIdentity = ordererOrg.msp().deserializeIdentity(ordererSigner.serialized());
        proposalBytes = ProposalBuilder.invoke(CHANNEL, CHAINCODE).args("put", "k-0-0", "value").build(client)
                .signedProposal().getProposalBytes().toByteArray();
        final Block block = peer.channel(CHANNEL).orElseThrow().ledger().blockStore()
                .blockByNumber(sample.blockNumber()).orElseThrow();
        envelopeBytes = block.getData().getData(0).toByteArray();
        endorsementBytes = new byte[envelopeBytes.length / 2];
        blockBytes = block.getHeader().toByteArray();
    }

    /** The kv chaincode as an installable jar (its class and a manifest naming it). */
    private static Path kvJar(final Path dir) throws IOException {
        final String entry = KeyValueChaincode.class.getName().replace('.', '/') + ".class";
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Chaincode-Class", KeyValueChaincode.class.getName());
        final Path jar = dir.resolve("kv.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream stream = new JarOutputStream(out, manifest);
             InputStream in = KeyValueChaincode.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IllegalStateException("class file " + entry + " not found");
            }
            stream.putNextEntry(new JarEntry(entry));
            in.transferTo(stream);
            stream.closeEntry();
        }
        return jar;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        gateway.close();
        peer.close();
        orderer.close();
        FileTree.delete(dir);
    }

    /** One client thread's key sequence (distinct keys: blind writes never conflict). */
    @State(Scope.Thread)
    public static class Keys {
        String prefix;
        long next;

        @Setup(Level.Trial)
        public void prepare(final ThreadParams thread) {
            prefix = "k-" + thread.getThreadIndex() + "-";
        }

        String next() {
            return prefix + next++;
        }
    }

    private SubmitResult submit(final Keys keys) {
        final SubmitResult result = contract.submitTransaction("put", keys.next(), "value");
        if (result.code() != TxValidationCode.VALID) {
            throw new IllegalStateException("submit not valid: " + result);
        }
        return result;
    }

    @Benchmark
    @Threads(1)
    public SubmitResult submit1Thread(final Keys keys) {
        return submit(keys);
    }

    @Benchmark
    @Threads(2)
    public SubmitResult submit2Threads(final Keys keys) {
        return submit(keys);
    }

    /** Baseline: the 4 signs and 6 verifies of one submit (see the class comment), nothing else. */
    @Benchmark
    @Threads(1)
    public int signatureWork1Thread() {
        return signatureWork();
    }

    /** Baseline with two threads. */
    @Benchmark
    @Threads(2)
    public int signatureWork2Threads() {
        return signatureWork();
    }

    private int signatureWork() {
        final byte[] proposalSignature = client.sign(proposalBytes);
        int valid = 0;
        valid += clientIdentity.verify(proposalBytes, proposalSignature).isValid() ? 1 : 0;
        valid += clientIdentity.verify(proposalBytes, proposalSignature).isValid() ? 1 : 0;
        final byte[] endorsement = peerSigner.sign(endorsementBytes);
        final byte[] envelopeSignature = client.sign(envelopeBytes);
        valid += clientIdentity.verify(envelopeBytes, envelopeSignature).isValid() ? 1 : 0;
        final byte[] blockSignature = ordererSigner.sign(blockBytes);
        valid += ordererIdentity.verify(blockBytes, blockSignature).isValid() ? 1 : 0;
        valid += clientIdentity.verify(envelopeBytes, envelopeSignature).isValid() ? 1 : 0;
        valid += peerIdentity.verify(endorsementBytes, endorsement).isValid() ? 1 : 0;
        if (valid != 6) {
            throw new IllegalStateException("baseline signatures do not verify");
        }
        return valid;
    }
}
