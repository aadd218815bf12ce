package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.proposal.ClientProposal;
import dev.fabricembedded.endorser.proposal.DeployOptions;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.endorser.proposal.SignedTransactions;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.devca.Organization;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.orderer.block.BlockSigner;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ChannelProfile;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.escc.DefaultEndorsement;
import dev.fabricembedded.scc.escc.EndorsementContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockData;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * A one-channel network over real material for the committer tests: two application organisations and an orderer
 * organisation from the msp dev CA, a real channel configuration (genesis block from a {@link ChannelProfile}), a
 * real ledger in a temporary directory with the genesis block committed, a {@link BlockCommitter}, blocks signed by
 * the orderer's identity as the orderer signs them, and endorsed transactions built with the endorser's client-side
 * helpers and endorsed by the organisations' peers through {@link DefaultEndorsement}. The read-write sets are
 * written directly: no chaincode runs here.
 */
final class CommitterNetwork implements AutoCloseable {

    static final String CHANNEL = "mychannel";
    static final String SYSCC_VERSION = "1.4.12";

    /** The organisations, generated once per JVM (key generation is the slow part). */
    static final class Orgs {
        static final Organization ORG1 = Organization.generate("Org1MSP", "org1.example.com");
        static final Organization ORG2 = Organization.generate("Org2MSP", "org2.example.com");
        static final Organization ORDERER = Organization.generate("OrdererMSP", "example.com");
        static final Organization OUTSIDER = Organization.generate("OutsiderMSP", "outsider.example.com");
        static final Block GENESIS = ChannelProfile.builder(CHANNEL)
                .applicationOrganization(ORG1.mspConfig())
                .applicationOrganization(ORG2.mspConfig())
                .ordererOrganization(ORDERER.mspConfig())
                .build().genesisBlock();

        private Orgs() {
        }
    }

    /** {@code AND('Org1MSP.member','Org2MSP.member')}. */
    static final ByteString AND_POLICY = PolicyDsl.parse("AND('Org1MSP.member','Org2MSP.member')").toByteString();
    /** {@code OR('Org1MSP.member','Org2MSP.member')}. */
    static final ByteString OR_POLICY = PolicyDsl.parse("OR('Org1MSP.member','Org2MSP.member')").toByteString();
    static final ByteString INSTANTIATION_POLICY =
            SignaturePolicies.signedByAnyAdmin(List.of("Org1MSP", "Org2MSP")).toByteString();

    final ChannelConfig config;
    final ChannelLedger ledger;
    final BlockCommitter committer;
    private final BlockSigner orderer = new BlockSigner(Orgs.ORDERER.signer(NodeRole.ORDERER));

    CommitterNetwork(Path dir) {
        this(dir, builder -> { });
    }

    CommitterNetwork(Path dir, Consumer<BlockCommitter.Builder> customize) {
        this.config = ChannelConfig.fromGenesisBlock(Orgs.GENESIS);
        this.ledger = ChannelLedger.builder(dir.resolve("ledger"), CHANNEL)
                .stateEntries(2_000).txIndexEntries(2_000).historyEnabled(false)
                .averageKeySize(24).averageValueSize(256).blockFileSize(4L << 20).open();
        BlockCommitter.Builder builder = BlockCommitter.builder().ledger(ledger).channelConfig(() -> config)
                .validatorPoolSize(2);
        customize.accept(builder);
        this.committer = builder.build();
        committer.commit(Orgs.GENESIS);
    }

    static SigningIdentity client1() {
        return Orgs.ORG1.signer(NodeRole.CLIENT);
    }

    static SigningIdentity admin1() {
        return Orgs.ORG1.signer(NodeRole.ADMIN);
    }

    static SigningIdentity peer1() {
        return Orgs.ORG1.signer(NodeRole.PEER);
    }

    static SigningIdentity peer2() {
        return Orgs.ORG2.signer(NodeRole.PEER);
    }

    // ------------------------------------------------------------------------------------------------ blocks

    /** The next block of the chain holding these envelopes, signed by the orderer. */
    Block nextBlock(Envelope... envelopes) {
        return nextBlockOf(Arrays.stream(envelopes).map(Envelope::toByteString).toList());
    }

    /** The next block holding raw data entries, signed by the orderer. */
    Block nextBlockOf(List<ByteString> data) {
        return orderer.sign(unsignedBlock(ledger.height(), ledger.chainInfo().getCurrentBlockHash(), data), 0);
    }

    /** Orderer-signed blocks continuing the ledger's chain, one per list of envelopes (none of them committed). */
    List<Block> chain(List<List<Envelope>> contents) {
        List<Block> blocks = new ArrayList<>();
        long number = ledger.height();
        ByteString previous = ledger.chainInfo().getCurrentBlockHash();
        for (List<Envelope> envelopes : contents) {
            Block block = signedByOrderer(unsignedBlock(number++, previous,
                    envelopes.stream().map(Envelope::toByteString).toList()));
            previous = ByteString.copyFrom(BlockHashes.headerHash(block.getHeader()));
            blocks.add(block);
        }
        return blocks;
    }

    /** The block signed by the orderer (LAST_CONFIG 0). */
    Block signedByOrderer(Block block) {
        return orderer.sign(block, 0);
    }

    /** A block with a correct data hash and no signatures. */
    static Block unsignedBlock(long number, ByteString previousHash, List<ByteString> data) {
        BlockData blockData = BlockData.newBuilder().addAllData(data).build();
        return Block.newBuilder().setHeader(BlockHeader.newBuilder().setNumber(number).setPreviousHash(previousHash)
                        .setDataHash(ByteString.copyFrom(BlockHashes.dataHash(blockData))))
                .setData(blockData).build();
    }

    /** Commits the next block holding these envelopes. */
    CommittedBlock commit(Envelope... envelopes) {
        return committer.commit(nextBlock(envelopes));
    }

    /** The committed value of a key. */
    byte[] state(String namespace, String key) {
        var qe = ledger.newQueryExecutor();
        try {
            return qe.getState(namespace, key);
        } finally {
            qe.done();
        }
    }

    // -------------------------------------------------------------------------------------------- transactions

    /** An invocation of {@code chaincode} at {@code version}, to be shaped and built. */
    static Tx invoke(String chaincode, String version) {
        return new Tx(ProposalBuilder.invoke(CHANNEL, chaincode).chaincodeVersion(version).args("invoke"),
                chaincode, version);
    }

    /** An lscc deploy of {@code name:version} with {@code policy}, writing the definition an honest lscc writes. */
    static Tx deploy(String name, String version, ByteString policy) {
        return lifecycle("deploy", name, version, policy, "vscc");
    }

    /** An lscc upgrade of {@code name} to {@code version}. */
    static Tx upgrade(String name, String version, ByteString policy) {
        return lifecycle("upgrade", name, version, policy, "vscc");
    }

    /** An lscc deploy or upgrade whose definition names the validation plugin {@code vscc}. */
    static Tx lifecycle(String function, String name, String version, ByteString policy, String vscc) {
        ChaincodeDeploymentSpec cds = ChaincodeDeploymentSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(name).setVersion(version))
                        .setInput(ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("init"))))
                .build();
        DeployOptions options = DeployOptions.defaults().withEndorsementPolicy(policy);
        ProposalBuilder proposal = function.equals("deploy") ? ProposalBuilder.deploy(CHANNEL, cds, options)
                : ProposalBuilder.upgrade(CHANNEL, cds, options);
        return new Tx(proposal.chaincodeVersion(SYSCC_VERSION), "lscc", SYSCC_VERSION)
                .creator(admin1())
                .endorsers(peer1())
                .rwset(rwset(ns("lscc", KVRWSet.newBuilder().addWrites(write(name, definition(name, version,
                        policy, vscc))).build())));
    }

    static ByteString definition(String name, String version, ByteString policy, String vscc) {
        return new ChaincodeData(name, version, "escc", vscc, policy, ByteString.EMPTY, ByteString.EMPTY,
                INSTANTIATION_POLICY).toByteString();
    }

    /** A transaction under construction: proposal, creator, endorsers, results. */
    static final class Tx {
        private final ProposalBuilder proposal;
        private String actionName;
        private String actionVersion;
        private SigningIdentity creator = client1();
        private List<SigningIdentity> endorsers = List.of(peer1(), peer2());
        private TxReadWriteSet rwset = TxReadWriteSet.getDefaultInstance();
        private ByteString event = ByteString.EMPTY;
        private ByteString rawResults;
        private UnaryOperator<Envelope> tamper = UnaryOperator.identity();

        private Tx(ProposalBuilder proposal, String actionName, String actionVersion) {
            this.proposal = proposal;
            this.actionName = actionName;
            this.actionVersion = actionVersion;
        }

        Tx proposal(Consumer<ProposalBuilder> change) {
            change.accept(proposal);
            return this;
        }

        Tx creator(SigningIdentity value) {
            this.creator = value;
            return this;
        }

        Tx endorsers(SigningIdentity... values) {
            this.endorsers = List.of(values);
            return this;
        }

        Tx rwset(TxReadWriteSet value) {
            this.rwset = value;
            return this;
        }

        /** Results bytes used as they are instead of the read-write set (e.g. garbage). */
        Tx rawResults(ByteString value) {
            this.rawResults = value;
            return this;
        }

        Tx writes(String namespace, String... keyValues) {
            KVRWSet.Builder kv = KVRWSet.newBuilder();
            for (int i = 0; i < keyValues.length; i += 2) {
                kv.addWrites(write(keyValues[i], ByteString.copyFromUtf8(keyValues[i + 1])));
            }
            return rwset(CommitterNetwork.rwset(ns(namespace, kv.build())));
        }

        Tx event(String name, String payload) {
            this.event = ChaincodeEvent.newBuilder().setChaincodeId(actionName).setEventName(name)
                    .setPayload(ByteString.copyFromUtf8(payload)).build().toByteString();
            return this;
        }

        Tx rawEvent(ByteString value) {
            this.event = value;
            return this;
        }

        /** The chaincode id the endorsers put in the ChaincodeAction (normally the invoked one). */
        Tx actionChaincode(String name, String version) {
            this.actionName = name;
            this.actionVersion = version;
            return this;
        }

        /** Changes the signed envelope after it is built (the result is not re-signed). */
        Tx tamper(UnaryOperator<Envelope> change) {
            this.tamper = change;
            return this;
        }

        Envelope build() {
            ClientProposal built = proposal.build(creator);
            try {
                EndorsementContext context = EndorsementContext.of(CHANNEL, built.proposal(),
                        Response.newBuilder().setStatus(200).setMessage("OK").build(),
                        rawResults != null ? rawResults : rwset.toByteString(), event,
                        ChaincodeID.newBuilder().setName(actionName).setVersion(actionVersion).build());
                List<ProposalResponse> responses = new ArrayList<>();
                for (SigningIdentity endorser : endorsers) {
                    responses.add(new DefaultEndorsement().endorse(context, endorser));
                }
                return tamper.apply(SignedTransactions.create(built, responses, creator));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ rwsets

    static TxReadWriteSet rwset(NsReadWriteSet... namespaces) {
        return TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addAllNsRwset(List.of(namespaces)).build();
    }

    static NsReadWriteSet ns(String namespace, KVRWSet kv) {
        return NsReadWriteSet.newBuilder().setNamespace(namespace).setRwset(kv.toByteString()).build();
    }

    static KVWrite write(String key, ByteString value) {
        return KVWrite.newBuilder().setKey(key).setValue(value).build();
    }

    static KVRead read(String key, long blockNum, long txNum) {
        return KVRead.newBuilder().setKey(key)
                .setVersion(Version.newBuilder().setBlockNum(blockNum).setTxNum(txNum)).build();
    }

    static KVRead readAbsent(String key) {
        return KVRead.newBuilder().setKey(key).build();
    }

    @Override
    public void close() {
        try {
            committer.close();
        } finally {
            ledger.close();
        }
    }
}
