package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.SignedTransactions;
import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.scc.ccprovider.FileChaincodePackageStore;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.ProposalResponse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer for one channel, {@code mychannel}, of two organisations: a real ledger, a real package store, chaincodes
 * as child JVMs, and an {@link Endorser} signing as Org1's peer. No orderer or committer exists in this module, so
 * {@link #commit} plays both: it assembles the client's transaction and appends it to the ledger in a block.
 */
final class TestPeer implements AutoCloseable {

    static final String CHANNEL = "mychannel";

    final Path dir;
    final Organization org1;
    final Organization org2;
    final ChannelLedger ledger;
    final FileChaincodePackageStore store;
    final StaticEndorserChannel channel;
    final Duration executeTimeout;
    Endorser endorser;

    TestPeer(final Path dir, final Organization org1, final Organization org2, final Duration executeTimeout) {
        this.dir = dir;
        this.org1 = org1;
        this.org2 = org2;
        this.executeTimeout = executeTimeout;
        this.ledger = ChannelLedger.builder(dir.resolve("ledger"), CHANNEL).stateEntries(10_000).open();
        this.store = new FileChaincodePackageStore(dir.resolve("chaincodes"));
        this.channel = StaticEndorserChannel.builder(ledger).organization(org1.msp()).organization(org2.msp())
                .build();
        this.endorser = newEndorser();
    }

    Endorser newEndorser() {
        return Endorser.builder()
                .signingIdentity(org1.signer(NodeRole.PEER))
                .localMsp(org1.msp())
                .channels(EndorserChannels.of(channel))
                .packageStore(store)
                .chaincodeSupport(ChaincodeSupport.builder()
                        .executeTimeout(executeTimeout)
                        .runtime(ProcessRuntime.builder().channelBaseDir(channelDir()).build()))
                .build();
    }

    /** Where the chaincodes' queue directories live. */
    Path channelDir() {
        return dir.resolve("chaincode-channels");
    }

    /** Closes the endorser (stopping its chaincodes) and starts a new one over the same ledger and packages. */
    void restartEndorser() {
        endorser.close();
        endorser = newEndorser();
    }

    SigningIdentity admin() {
        return org1.signer(NodeRole.ADMIN);
    }

    SigningIdentity client() {
        return org1.signer(NodeRole.CLIENT);
    }

    /** Installs an example chaincode through LSCC {@code install} as Org1's admin. */
    void install(final String name, final String version, final String chaincodeClass) throws IOException {
        final ByteString jar = ExamplePackages.jar(chaincodeClass, dir.resolve("jars"));
        final ProposalResponse response = endorser.processProposal(
                ProposalBuilder.install(ExamplePackages.spec(name, version, jar)).build(admin()).signedProposal());
        assertThat(response.getResponse().getStatus()).as(response.getResponse().getMessage()).isEqualTo(200);
    }

    /** Instantiates through LSCC {@code deploy} as Org1's admin, returning the proposal and its response. */
    Endorsed deploy(final String name, final String version, final String... initArgs) {
        final ClientProposal proposal = ProposalBuilder.deploy(CHANNEL,
                ExamplePackages.spec(name, version, ByteString.EMPTY, initArgs)).build(admin());
        return new Endorsed(admin(), proposal, endorser.processProposal(proposal.signedProposal()));
    }

    /** Invokes a chaincode as Org1's client. */
    Endorsed invoke(final String name, final String... args) {
        final ClientProposal proposal = ProposalBuilder.invoke(CHANNEL, name).args(args).build(client());
        return new Endorsed(client(), proposal, endorser.processProposal(proposal.signedProposal()));
    }

    /** Deploys and commits, asserting both succeed. */
    void instantiate(final String name, final String version, final String... initArgs) {
        final Endorsed deployed = deploy(name, version, initArgs);
        assertThat(deployed.response().getResponse().getStatus()).as(deployed.response().getResponse().getMessage())
                .isEqualTo(200);
        assertThat(commit(deployed).validCount()).isEqualTo(1);
    }

    /** Assembles the client's transaction and commits it to the ledger in the next block. */
    CommitResult commit(final Endorsed endorsed) {
        final Envelope envelope = SignedTransactions.create(endorsed.proposal(), List.of(endorsed.response()),
                endorsed.creator());
        return ledger.commit(nextBlock(List.of(envelope.toByteString())));
    }

    private Block nextBlock(final List<ByteString> envelopes) {
        final long number = ledger.height();
        final ByteString previous = number == 0 ? ByteString.EMPTY : ledger.chainInfo().getCurrentBlockHash();
        final BlockData data = BlockData.newBuilder().addAllData(envelopes).build();
        return Block.newBuilder()
                .setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(previous)
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(data))))
                .setData(data)
                .build();
    }

    @Override
    public void close() {
        try {
            endorser.close();
        } finally {
            ledger.close();
        }
    }

    /** A proposal, who made it, and the endorser's answer. */
    record Endorsed(SigningIdentity creator, ClientProposal proposal, ProposalResponse response) {

        int status() {
            return response.getResponse().getStatus();
        }

        String message() {
            return response.getResponse().getMessage();
        }
    }
}
