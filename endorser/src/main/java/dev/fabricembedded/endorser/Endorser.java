package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.chaincode.ChaincodeContext;
import dev.fabricembedded.endorser.chaincode.ChaincodeException;
import dev.fabricembedded.endorser.chaincode.ChaincodeResult;
import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.endorser.chaincode.LedgerGetter;
import dev.fabricembedded.endorser.chaincode.Lifecycle;
import dev.fabricembedded.endorser.chaincode.LsccLifecycle;
import dev.fabricembedded.endorser.chaincode.SystemChaincodes;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.LedgerException;
import dev.fabricembedded.ledger.history.HistoryQueryExecutor;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import dev.fabricembedded.scc.ccprovider.JavaCodePackage;
import dev.fabricembedded.scc.channel.AclResources;
import dev.fabricembedded.scc.channel.ChannelView;
import dev.fabricembedded.scc.channel.ChannelViews;
import dev.fabricembedded.scc.escc.DefaultEndorsement;
import dev.fabricembedded.scc.escc.EndorsementContext;
import dev.fabricembedded.scc.escc.EndorsementException;
import dev.fabricembedded.scc.escc.EndorsementPlugin;
import dev.fabricembedded.scc.escc.EndorsementPluginRegistry;
import dev.fabricembedded.scc.lscc.Lscc;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endorsing peer's {@code ProcessProposal} (Fabric 1.4's {@code core/endorser}, §1 of the reference): checks a
 * signed proposal, simulates it by executing its chaincode on a transaction simulator of the channel's ledger, and
 * endorses the result.
 *
 * <pre>{@code
 * Endorser endorser = Endorser.builder()
 *         .chaincodeSupport(support).channels(channelViews).ledgers(ledgers)
 *         .localMsp(localMsp).signer(peerIdentity).packages(packageStore)
 *         .build();
 * ProposalResponse response = endorser.processProposal(signedProposal);   // or ProposalException
 * }</pre>
 *
 * <p>What a client observes is Fabric's status and transport matrix (§1.8):
 * <ul>
 * <li>the auth filter, message validation and {@code preProcess} (expired creator, malformed proposal, bad
 * signature, bad txid, unsupported type, chaincode not invokable, duplicate txid, {@code peer/Propose} ACL) throw a
 * {@link ProposalException} with Fabric's text: Fabric's gRPC errors;</li>
 * <li>a missing ledger, a chaincode that is not defined, a failed launch, Init or execution give a response
 * {@code {500, <Fabric's text>}} without payload;</li>
 * <li>a chaincode status of 500 or more gives the response with the proposal response payload and no endorsement; a
 * status of 400..499 the response alone; below 400 the endorsed response ({@code version 1}, payload, endorsement)
 * carrying the chaincode's response;</li>
 * <li>a chainless proposal ({@code lscc install}...) gets the unsigned response.</li>
 * </ul>
 * For {@code lscc deploy} and {@code upgrade} that LSCC accepted, the user chaincode's installed package is launched
 * and its Init run on the same simulator and transaction id (§1.6), so the endorsed read-write set holds the
 * {@code lscc} and the chaincode's namespaces.
 *
 * <p>Thread-safe: any number of threads may process proposals at once; each proposal's simulator belongs to the
 * thread processing it (and to the chaincodes it calls, see {@link ChaincodeSupport}). The endorser owns no resources.
 */
public final class Endorser {

    private static final Logger LOG = LoggerFactory.getLogger(Endorser.class);
    private static final int ERROR_THRESHOLD = 400;
    private static final int ERROR = 500;

    private final ChaincodeSupport chaincodeSupport;
    private final ChannelViews channels;
    private final LedgerGetter ledgers;
    private final SigningIdentity signer;
    private final ChaincodePackageStore packages;
    private final Lifecycle lifecycle;
    private final EndorsementPluginRegistry endorsementPlugins;
    private final ExpirationCheck expiration;
    private final MessageValidation validation;

    private Endorser(final Builder builder) {
        this.chaincodeSupport = Objects.requireNonNull(builder.chaincodeSupport, "chaincodeSupport");
        this.channels = Objects.requireNonNull(builder.channels, "channels");
        this.ledgers = builder.ledgers;
        this.signer = Objects.requireNonNull(builder.signer, "signer");
        this.packages = builder.packages;
        this.lifecycle = builder.lifecycle != null ? builder.lifecycle : new LsccLifecycle(builder.packages);
        this.endorsementPlugins = builder.endorsementPlugins;
        this.expiration = new ExpirationCheck(builder.clock);
        this.validation = new MessageValidation(channels, builder.localMsp);
    }

    /** A builder; the chaincode support, the channels and the signer are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Processes a signed proposal as Fabric's {@code Endorser.ProcessProposal} does.
     *
     * @return the proposal response (endorsed, or carrying a failure status; see the class documentation)
     * @throws ProposalException when the proposal is refused before simulation (Fabric's gRPC errors)
     */
    public ProposalResponse processProposal(final SignedProposal signedProposal) throws ProposalException {
        expiration.check(signedProposal);
        final ValidatedProposal proposal = validation.validate(signedProposal);
        preProcess(proposal);

        final String channelId = proposal.channelId();
        final String name = proposal.chaincodeName();
        TxSimulator simulator = null;
        try {
            HistoryQueryExecutor history = null;
            if (!channelId.isEmpty() && !name.equals("qscc") && !name.equals("cscc")) {
                final Optional<ChannelLedger> ledger = ledgers.ledger(channelId);
                if (ledger.isEmpty()) {
                    return failure("Channel does not exist: " + channelId);
                }
                try {
                    simulator = ledger.get().newTxSimulator(proposal.txId());
                } catch (LedgerException e) {
                    return failure("failed to create a transaction simulator for channel " + channelId + ": "
                            + e.getMessage());
                }
                try {
                    history = ledger.get().newHistoryQueryExecutor();
                } catch (UnsupportedOperationException e) {
                    history = null;
                }
            }
            final Simulation simulation;
            try {
                simulation = simulateProposal(proposal, simulator, history);
            } catch (ChaincodeException e) {
                LOG.warn("[{}][{}] simulation of {} failed: {}", channelId, shortTxId(proposal.txId()), name,
                        e.getMessage());
                return failure(e.getMessage());
            } finally {
                if (simulator != null) {
                    // Fabric releases the simulator (and its shared state lock) before endorsing
                    simulator.done();
                    simulator = null;
                }
            }
            return endorse(proposal, simulation);
        } finally {
            if (simulator != null) {
                simulator.done();
            }
        }
    }

    // ---- §1.3 preProcess ----

    private void preProcess(final ValidatedProposal proposal) throws ProposalException {
        final String name = proposal.chaincodeName();
        final SystemChaincodes systemChaincodes = chaincodeSupport.systemChaincodes();
        if (systemChaincodes.isSysCCAndNotInvokableExternal(name)) {
            throw new ProposalException(ProposalException.Reason.NOT_INVOKABLE, "chaincode " + name
                    + " cannot be invoked through a proposal");
        }
        final String channelId = proposal.channelId();
        if (channelId.isEmpty()) {
            return;
        }
        final String txId = proposal.txId();
        final boolean duplicate = ledgers.ledger(channelId).map(ledger -> {
            try {
                return ledger.containsTxId(txId);
            } catch (LedgerException e) {
                return false; // Fabric treats a failed lookup as "not a duplicate"
            }
        }).orElse(false);
        if (duplicate) {
            throw new ProposalException(ProposalException.Reason.DUPLICATE_TXID, "duplicate transaction found ["
                    + txId + "]. Creator [" + HexFormat.of().formatHex(proposal.signatureHeader().getCreator()
                    .toByteArray()) + "]");
        }
        if (!systemChaincodes.isSysCC(name)) {
            final ChannelView channel = channels.channel(channelId).orElseThrow(() -> new ProposalException(
                    ProposalException.Reason.ACL, "channel " + channelId + " is not joined"));
            final PolicyResult allowed = channel.checkAcl(AclResources.PEER_PROPOSE, List.of(new SignedData(
                    proposal.signed().getProposalBytes(), proposal.signatureHeader().getCreator(),
                    proposal.signed().getSignature())));
            if (!allowed.isSatisfied()) {
                throw new ProposalException(ProposalException.Reason.ACL, allowed.message());
            }
        }
    }

    // ---- §1.5 SimulateProposal and §1.6 callChaincode ----

    /** What a simulation produced. */
    private record Simulation(ChaincodeData definition, Response response, ByteString results, ByteString event) {
    }

    private Simulation simulateProposal(final ValidatedProposal proposal, final TxSimulator simulator,
            final HistoryQueryExecutor history) throws ChaincodeException {
        final ChaincodeInvocationSpec invocation;
        try {
            invocation = ChaincodeInvocationSpec.parseFrom(
                    ChaincodeProposalPayload.parseFrom(proposal.proposal().getPayload()).getInput());
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("error unmarshaling ChaincodeInvocationSpec: " + e.getMessage(), e);
        }
        final String name = proposal.chaincodeName();
        final String channelId = proposal.channelId();
        ChaincodeData definition = null;
        final String version;
        if (chaincodeSupport.systemChaincodes().isSysCC(name)) {
            version = chaincodeSupport.systemChaincodes().version();
        } else {
            synchronized (lockOf(simulator)) {
                try {
                    definition = lifecycle.chaincodeDefinition(channelId, name, simulator);
                } catch (ChaincodeException e) {
                    throw e.wrap("make sure the chaincode " + name
                            + " has been successfully instantiated and try again");
                }
            }
            version = definition.version();
            lifecycle.checkInstantiationPolicy(name, version, definition);
        }
        final ChaincodeResult result = callChaincode(proposal, invocation.getChaincodeSpec().getInput(), version,
                simulator, history);
        final ByteString results;
        synchronized (lockOf(simulator)) {
            results = simulator == null ? ByteString.EMPTY : simulator.getTxSimulationResults().toByteString();
        }
        final ByteString event = result.event().map(e -> e.toByteString()).orElse(ByteString.EMPTY);
        return new Simulation(definition, result.response(), results, event);
    }

    private ChaincodeResult callChaincode(final ValidatedProposal proposal, final ChaincodeInput input,
            final String version, final TxSimulator simulator, final HistoryQueryExecutor history)
            throws ChaincodeException {
        final String channelId = proposal.channelId();
        final String name = proposal.chaincodeName();
        final ChaincodeResult result = chaincodeSupport.execute(context(proposal, name, version, simulator, history)
                .build(), input);
        if (result.response().getStatus() >= ERROR_THRESHOLD) {
            return result;
        }
        final List<ByteString> args = input.getArgsList();
        if (name.equals(Lscc.NAME) && args.size() >= 3 && (args.get(0).toStringUtf8().equals(Lscc.DEPLOY)
                || args.get(0).toStringUtf8().equals(Lscc.UPGRADE))) {
            final ChaincodeDeploymentSpec userSpec = deploymentSpec(args.get(2));
            final ChaincodeDeploymentSpec sanitized = sanitizeUserCds(userSpec);
            final ChaincodeID id = sanitized.getChaincodeSpec().getChaincodeId();
            if (chaincodeSupport.systemChaincodes().isSysCC(id.getName())) {
                throw new ChaincodeException("attempting to deploy a system chaincode " + id.getName() + "/"
                        + channelId);
            }
            // Init's response is dropped: only a failure (the shims' ERROR for a status of 500 or more) counts
            chaincodeSupport.executeLegacyInit(context(proposal, id.getName(), id.getVersion(), simulator, history)
                    .init(true).build(), sanitized);
        }
        return result;
    }

    /** Fabric's {@code GetChaincodeDeploymentSpec}: parse, and validate against the (JAVA) platform. */
    private static ChaincodeDeploymentSpec deploymentSpec(final ByteString bytes) throws ChaincodeException {
        final ChaincodeDeploymentSpec spec;
        try {
            spec = ChaincodeDeploymentSpec.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("error unmarshaling ChaincodeDeploymentSpec: " + e.getMessage(), e);
        }
        final ChaincodeSpec.Type type = spec.getChaincodeSpec().getType();
        if (type != ChaincodeSpec.Type.JAVA) {
            // the only platform this peer runs (a documented deviation: Fabric also builds GOLANG, NODE and CAR)
            throw new ChaincodeException("Unknown chaincodeType: " + type);
        }
        if (!spec.getCodePackage().isEmpty()) {
            try {
                JavaCodePackage.validate(spec.getCodePackage());
            } catch (InvalidChaincodeException e) {
                throw new ChaincodeException(e.getMessage(), e);
            }
        }
        return spec;
    }

    /**
     * Fabric's {@code SanitizeUserCDS}: the installed package's deployment spec, without its code package, with the
     * user's Init input. The client's code package, if any, is never run.
     */
    private ChaincodeDeploymentSpec sanitizeUserCds(final ChaincodeDeploymentSpec userSpec) throws ChaincodeException {
        final ChaincodeID id = userSpec.getChaincodeSpec().getChaincodeId();
        final Optional<ChaincodePackage> installed;
        try {
            installed = packages == null ? Optional.empty() : packages.get(id.getName(), id.getVersion());
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException("cannot deploy a chaincode which is not installed: could not get chaincode"
                    + " from fs: " + e.getMessage(), e);
        }
        final ChaincodeDeploymentSpec fromFs = installed.orElseThrow(() -> new ChaincodeException(
                "cannot deploy a chaincode which is not installed: could not get chaincode from fs: chaincode "
                        + id.getName() + ":" + id.getVersion() + " is not installed")).deploymentSpec();
        return fromFs.toBuilder()
                .clearCodePackage()
                .setChaincodeSpec(fromFs.getChaincodeSpec().toBuilder().setInput(userSpec.getChaincodeSpec().getInput()))
                .build();
    }

    private static ChaincodeContext.Builder context(final ValidatedProposal proposal, final String name,
            final String version, final TxSimulator simulator, final HistoryQueryExecutor history) {
        return ChaincodeContext.builder(proposal.channelId(), name, version, proposal.txId())
                .signedProposal(proposal.signed(), proposal.proposal())
                .simulator(simulator)
                .historyExecutor(history);
    }

    // ---- §1.7 endorsement ----

    private ProposalResponse endorse(final ValidatedProposal proposal, final Simulation simulation) {
        final Response response = simulation.response();
        final ChaincodeID requested = proposal.extension().getChaincodeId();
        if (response.getStatus() >= ERROR) {
            // CreateProposalResponseFailure: the payload (with the client's chaincode id), no endorsement
            try {
                final EndorsementContext failed = EndorsementContext.of(proposal.channelId(), proposal.proposal(),
                        response, simulation.results(), simulation.event(), requested);
                return ProposalResponse.newBuilder().setResponse(response)
                        .setPayload(DefaultEndorsement.proposalResponsePayload(failed)).build();
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                return failure(e.getMessage());
            }
        }
        if (proposal.channelId().isEmpty()) {
            return ProposalResponse.newBuilder().setResponse(response).build();
        }
        final boolean systemChaincode = simulation.definition() == null;
        final String escc = systemChaincode ? DefaultEndorsement.NAME : simulation.definition().escc();
        final ChaincodeID endorsed = requested.toBuilder().setVersion(systemChaincode
                ? chaincodeSupport.systemChaincodes().version() : simulation.definition().version()).build();
        final ProposalResponse endorsement;
        try {
            final EndorsementPlugin plugin = endorsementPlugins.require(escc);
            endorsement = plugin.endorse(EndorsementContext.of(proposal.channelId(), proposal.proposal(), response,
                    simulation.results(), simulation.event(), endorsed), signer);
        } catch (EndorsementException e) {
            return failure(e.getMessage());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            LOG.warn("[{}][{}] endorsement failed", proposal.channelId(), shortTxId(proposal.txId()), e);
            return failure("endorsement failed: " + e.getMessage());
        }
        if (endorsement.getResponse().getStatus() >= ERROR_THRESHOLD) {
            return endorsement;
        }
        return endorsement.toBuilder().setResponse(response).build();
    }

    private static ProposalResponse failure(final String message) {
        return ProposalResponse.newBuilder()
                .setResponse(Response.newBuilder().setStatus(ERROR).setMessage(message))
                .build();
    }

    private static Object lockOf(final TxSimulator simulator) {
        return simulator == null ? new Object() : simulator;
    }

    private static String shortTxId(final String txId) {
        return txId.length() < 8 ? txId : txId.substring(0, 8);
    }

    /** Settings of an {@link Endorser}. */
    public static final class Builder {
        private ChaincodeSupport chaincodeSupport;
        private ChannelViews channels;
        private LedgerGetter ledgers = LedgerGetter.NONE;
        private IdentityDeserializer localMsp;
        private SigningIdentity signer;
        private ChaincodePackageStore packages;
        private Lifecycle lifecycle;
        private EndorsementPluginRegistry endorsementPlugins = EndorsementPluginRegistry.withDefaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The chaincode support that executes the chaincodes (required; the endorser does not close it). */
        public Builder chaincodeSupport(final ChaincodeSupport support) {
            this.chaincodeSupport = Objects.requireNonNull(support, "support");
            return this;
        }

        /** The joined channels: their MSPs (creator checks) and ACLs ({@code peer/Propose}) (required). */
        public Builder channels(final ChannelViews views) {
            this.channels = Objects.requireNonNull(views, "views");
            return this;
        }

        /** The channels' ledgers: simulators, history, the duplicate-txid check (default: none). */
        public Builder ledgers(final LedgerGetter getter) {
            this.ledgers = Objects.requireNonNull(getter, "getter");
            return this;
        }

        /** The peer's local MSP, which checks the creators of chainless proposals (default: none accepted). */
        public Builder localMsp(final IdentityDeserializer msp) {
            this.localMsp = Objects.requireNonNull(msp, "msp");
            return this;
        }

        /** The peer's signing identity, which endorses (required). */
        public Builder signer(final SigningIdentity identity) {
            this.signer = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** The installed packages: deploy and upgrade run the installed package's Init (default: none installed). */
        public Builder packages(final ChaincodePackageStore store) {
            this.packages = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where chaincode definitions come from (default: {@link LsccLifecycle} over the package store). */
        public Builder lifecycle(final Lifecycle chaincodeLifecycle) {
            this.lifecycle = Objects.requireNonNull(chaincodeLifecycle, "chaincodeLifecycle");
            return this;
        }

        /** The endorsement plugins by escc name (default: {@code escc} = Fabric's default endorsement). */
        public Builder endorsementPlugins(final EndorsementPluginRegistry registry) {
            this.endorsementPlugins = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The clock the expiry of creators is checked against (default: the system clock). */
        public Builder clock(final Clock expiryClock) {
            this.clock = Objects.requireNonNull(expiryClock, "expiryClock");
            return this;
        }

        public Endorser build() {
            return new Endorser(this);
        }
    }
}
