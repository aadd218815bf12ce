package dev.fabricembedded.jmh.endorser;

import dev.fabricembedded.endorser.runtime.FileTree;
import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.Endorser;
import dev.fabricembedded.endorser.EndorserChannels;
import dev.fabricembedded.endorser.StaticEndorserChannel;
import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.SignedTransactions;
import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ProposalResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A one-organisation peer for the endorser benchmarks: a ledger, a package store holding {@link GetPutChaincode},
 * and an {@link Endorser} running chaincodes as child JVMs, all in a temporary directory deleted on close. It can
 * also commit a transaction (there is no orderer here), which the benchmarks use to instantiate their chaincode.
 */
final class BenchmarkPeer implements AutoCloseable {

    static final String CHANNEL = "benchchannel";

    final Path dir;
    final Organization org;
    final ChannelLedger ledger;
    final FileChaincodePackageStore store;
    final StaticEndorserChannel channel;
    Endorser endorser;

    BenchmarkPeer() throws IOException {
        this.dir = Files.createTempDirectory("fabric-embedded-endorser-bench");
        ChannelLedger opened = null;
        try {
            this.org = Organization.generate("Org1MSP", "org1.example.com");
            opened = ChannelLedger.builder(dir.resolve("ledger"), CHANNEL).stateEntries(100_000).open();
            this.ledger = opened;
            this.store = new FileChaincodePackageStore(dir.resolve("chaincodes"));
            this.channel = StaticEndorserChannel.builder(ledger).organization(org.msp()).build();
            this.endorser = newEndorser();
        } catch (RuntimeException | Error e) {
            // a set-up that fails (e.g. no chaincode class path) leaves no open ledger and no directory behind
            if (opened != null) {
                opened.close();
            }
            FileTree.delete(dir);
            throw e;
        }
    }

    private Endorser newEndorser() {
        return Endorser.builder()
                .signingIdentity(org.signer(NodeRole.PEER))
                .localMsp(org.msp())
                .channels(EndorserChannels.of(channel))
                .packageStore(store)
                .chaincodeSupport(ChaincodeSupport.builder()
                        .runtime(ProcessRuntime.builder().channelBaseDir(dir.resolve("chaincode-channels")).build()))
                .build();
    }

    /** Stops every chaincode and starts a fresh endorser over the same ledger and packages. */
    void restartEndorser() {
        endorser.close();
        endorser = newEndorser();
    }

    SigningIdentity admin() {
        return org.signer(NodeRole.ADMIN);
    }

    SigningIdentity client() {
        return org.signer(NodeRole.CLIENT);
    }

    /** Installs {@link GetPutChaincode} as {@code name:version} through LSCC. */
    void install(final String name, final String version) {
        final ProposalResponse response = endorser.processProposal(ProposalBuilder
                .install(spec(name, version, chaincodeJar())).build(admin()).signedProposal());
        require(response, "install");
    }

    /** A deploy proposal of {@code name:version} whose Init writes {@code initKeys}. */
    ClientProposal deployProposal(final String name, final String version, final String... initKeys) {
        final String[] args = new String[initKeys.length + 1];
        args[0] = "init";
        System.arraycopy(initKeys, 0, args, 1, initKeys.length);
        return ProposalBuilder.deploy(CHANNEL, spec(name, version, ByteString.EMPTY, args)).build(admin());
    }

    /** Deploys and commits {@code name:version}. */
    void instantiate(final String name, final String version) {
        final ClientProposal proposal = deployProposal(name, version, "k0");
        final ProposalResponse response = endorser.processProposal(proposal.signedProposal());
        require(response, "deploy");
        final ByteString envelope = SignedTransactions.create(proposal, List.of(response), admin()).toByteString();
        final long number = ledger.height();
        final ByteString previous = number == 0 ? ByteString.EMPTY : ledger.chainInfo().getCurrentBlockHash();
        final BlockData data = BlockData.newBuilder().addData(envelope).build();
        final var result = ledger.commit(Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(previous)
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))))
                .setData(data).build());
        if (result.validCount() != 1) {
            throw new IllegalStateException("instantiate of " + name + " committed as " + result.code(0));
        }
    }

    static void require(final ProposalResponse response, final String what) {
        if (response.getResponse().getStatus() != 200) {
            throw new IllegalStateException(what + " failed: " + response.getResponse().getStatus() + " "
                    + response.getResponse().getMessage());
        }
    }

    private static ChaincodeDeploymentSpec spec(final String name, final String version, final ByteString code,
            final String... initArgs) {
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (final String arg : initArgs) {
            input.addArgs(ByteString.copyFrom(arg, StandardCharsets.UTF_8));
        }
        return ChaincodeDeploymentSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version))
                        .setInput(input))
                .setCodePackage(code)
                .build();
    }

    /** A jar holding only {@link GetPutChaincode}, its manifest naming it. */
    private static ByteString chaincodeJar() {
        final String entry = GetPutChaincode.class.getName().replace('.', '/') + ".class";
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Chaincode-Class", GetPutChaincode.class.getName());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest);
             InputStream in = GetPutChaincode.class.getClassLoader().getResourceAsStream(entry)) {
            if (in == null) {
                throw new IllegalStateException("class file " + entry + " not found");
            }
            jar.putNextEntry(new JarEntry(entry));
            in.transferTo(jar);
            jar.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }

    @Override
    public void close() throws IOException {
        try {
            endorser.close();
        } finally {
            ledger.close();
            FileTree.delete(dir);
        }
    }
}
