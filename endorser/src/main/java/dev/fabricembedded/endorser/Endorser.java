package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.auth.AuthFilter;
import dev.fabricembedded.endorser.auth.AuthFilterResult;
import dev.fabricembedded.endorser.auth.ExpirationCheck;
import dev.fabricembedded.endorser.chaincode.ApplicationCapabilities;
import dev.fabricembedded.endorser.chaincode.ChaincodeContext;
import dev.fabricembedded.endorser.chaincode.ChaincodeException;
import dev.fabricembedded.endorser.chaincode.ChaincodeResult;
import dev.fabricembedded.endorser.chaincode.ChaincodeSupport;
import dev.fabricembedded.endorser.chaincode.Lifecycle;
import dev.fabricembedded.endorser.chaincode.LsccLifecycle;
import dev.fabricembedded.endorser.chaincode.ProposalLoad;
import dev.fabricembedded.endorser.chaincode.SystemChaincode;
import dev.fabricembedded.endorser.chaincode.SystemChaincodes;
import dev.fabricembedded.endorser.proposal.ProposalValidation;
import dev.fabricembedded.endorser.proposal.ProposalValidator;
import dev.fabricembedded.endorser.proposal.ValidatedProposal;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.history.HistoryQueryExecutor;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import dev.fabricembedded.scc.ccprovider.JavaCodePackage;
import dev.fabricembedded.scc.channel.AclResources;
import dev.fabricembedded.scc.escc.DefaultEndorsement;
import dev.fabricembedded.scc.escc.EndorsementContext;
import dev.fabricembedded.scc.escc.EndorsementException;
import dev.fabricembedded.scc.escc.EndorsementPlugin;
import dev.fabricembedded.scc.escc.EndorsementPluginRegistry;
import dev.fabricembedded.scc.lscc.Lscc;
import dev.fabricembedded.scc.qscc.Qscc;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
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

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The endorsing peer's {@code ProcessProposal} (Fabric 1.4's {@code core/endorser}, fabric-1.4-flow.md §1): checks a
 * signed proposal, simulates it by executing the target chaincode against the channel's ledger, and answers with the
 * endorsed {@code ProposalResponse}.
 *
 * <pre>{@code
 * try (Endorser endorser = Endorser.builder()
 *         .signingIdentity(peerIdentity).localMsp(org1Msp)
 *         .channels(EndorserChannels.of(StaticEndorserChannel.builder(ledger).organization(org1Msp).build()))
 *         .packageStore(new FileChaincodePackageStore(dataDir.resolve("chaincodes")))
 *         .build()) {
 *     ProposalResponse response = endorser.processProposal(signedProposal);
 * }
 * }</pre>
 *
 * <p>What a client observes is Fabric's status and transport matrix (§1.8):
 * <ul>
 *   <li>an auth filter refusal ({@code identity expired}) or a {@code preProcess} failure (the 14 checks of
 *   {@link ProposalValidator}, a system chaincode that proposals may not invoke, a duplicate transaction id, the
 *   {@code peer/Propose} ACL for application chaincode) throws {@link ProposalRejectedException}, the analogue of the
 *   gRPC error: there is no response;</li>
 *   <li>a missing channel ledger, a failed definition lookup, launch, Init, execution or timeout, and an ERROR from
 *   the chaincode give a response {@code {500, <Fabric's text>}};</li>
 *   <li>a chaincode status of 500 or more returned normally gives a response with the proposal response payload and
 *   no endorsement; 400-499 a response only; below 400 the endorsed response: {@code version 1}, the chaincode's
 *   response, {@code payload = prp}, {@code endorsement = Sign(prp ‖ endorser)} by this peer;</li>
 *   <li>a channel-less proposal (LSCC {@code install}, ...) is answered unsigned.</li>
 * </ul>
 * An LSCC {@code deploy} or {@code upgrade} that LSCC accepted continues as in Fabric's {@code callChaincode}: the
 * deployment spec is sanitized from the installed package with the client's Init arguments, the chaincode is launched
 * and its INIT runs on the same simulator and transaction id, so the proposal's read-write set holds LSCC's read and
 * write of {@code lscc/<name>} and Init's writes (§1.6, §2.8). Init's response is dropped; only an error fails the
 * instantiation.
 *
 * <p>System chaincodes: {@code lscc} and {@code qscc} are registered in-process with the chaincode support at {@link Builder#build()},
 * under the system chaincode version. ESCC and VSCC are plugins; their names cannot be invoked.
 *
 * <p>Threads: {@link #processProposal} runs on the caller's thread and may be called concurrently; the endorser's
 * own state is immutable. The chaincode support it owns runs chaincodes on its threads and processes.
 * {@link #close()} stops every chaincode and the support's threads.
 */
public final class Endorser implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Endorser.class);

    /** Fabric's {@code shim.ERRORTHRESHOLD}: statuses from here on are not endorsed. */
    static final int ERROR_THRESHOLD = 400;
    /** Fabric's {@code shim.ERROR}. */
    static final int ERROR = 500;

    private static final String CSCC = "cscc";

    private final SigningIdentity signer;
    private final List<AuthFilter> authFilters;
    private final ProposalValidator validator;
    private final EndorserChannels channels;
    private final ChaincodeSupport chaincodeSupport;
    private final SystemChaincodes systemChaincodes;
    private final Lifecycle lifecycle;
    private final ChaincodePackageStore packages;
    private final EndorsementPluginRegistry endorsementPlugins;
    private volatile boolean closed;

    private Endorser(final Builder builder, final ChaincodeSupport chaincodeSupport, final Lifecycle lifecycle) {
        this.signer = builder.signer;
        this.authFilters = List.copyOf(builder.authFilters);
        this.channels = builder.channels;
        this.validator = new ProposalValidator(builder.localMsp,
                id -> channels.channel(id).map(EndorserChannel::deserializer));
        this.chaincodeSupport = chaincodeSupport;
        this.systemChaincodes = chaincodeSupport.systemChaincodes();
        this.lifecycle = lifecycle;
        this.packages = builder.packageStore;
        this.endorsementPlugins = builder.endorsementPlugins;
    }

    /** A builder; the signing identity, local MSP, channels and package store are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Processes a signed proposal (Fabric's {@code ProcessProposal}).
     *
     * @return the response: endorsed, or carrying the failure status and text of §1.8
     * @throws ProposalRejectedException when an auth filter or {@code preProcess} refuses the proposal, with
     *                                   Fabric's text
     * @throws IllegalStateException     after {@link #close()}
     */
    public ProposalResponse processProposal(final SignedProposal signedProposal) {
        if (closed) {
            throw new IllegalStateException("the endorser is closed");
        }
        Objects.requireNonNull(signedProposal, "signedProposal");
        // counted from the start: the other proposals' crypto is what keeps the cores busy (see ProposalLoad)
        final ProposalLoad load = chaincodeSupport.proposalLoad();
        load.enter();
        try {
            return process(signedProposal);
        } finally {
            load.exit();
        }
    }

    private ProposalResponse process(final SignedProposal signedProposal) {
        for (final AuthFilter filter : authFilters) {
            final AuthFilterResult result = filter.check(signedProposal);
            if (!result.isPassed()) {
                throw ProposalRejectedException.filtered(result);
            }
        }
        final PreProcessed pre = preProcess(signedProposal);
        final ValidatedProposal proposal = pre.proposal();
        final String channelId = proposal.channelId();
        final String chaincodeName = proposal.chaincodeName();

        TxSimulator simulator = null;
        HistoryQueryExecutor history = null;
        if (acquireTxSimulator(channelId, chaincodeName)) {
            if (pre.channel().isEmpty()) {
                return failure("Channel does not exist: " + channelId);
            }
            final ChannelLedger ledger = pre.channel().get().ledger();
            try {
                simulator = ledger.newTxSimulator(proposal.txId());
            } catch (RuntimeException e) {
                LOG.warn("[{}] no simulator for transaction {}: {}", channelId, proposal.txId(), e.toString());
                return failure(String.valueOf(e.getMessage()));
            }
            try {
                history = ledger.newHistoryQueryExecutor();
            } catch (UnsupportedOperationException e) {
                history = null;
            }
        }
        try {
            return simulateAndEndorse(proposal, simulator, history);
        } finally {
            if (simulator != null) {
                simulator.done();
            }
        }
    }

    /** The proposal after {@code preProcess}, and its channel when it has one. */
    private record PreProcessed(ValidatedProposal proposal, Optional<EndorserChannel> channel) {
    }

    /** Fabric's {@code preProcess} (§1.3): validation, invokability, duplicate txid, {@code peer/Propose} ACL. */
    private PreProcessed preProcess(final SignedProposal signedProposal) {
        final ProposalValidation validation = validator.validate(signedProposal);
        if (!validation.isValid()) {
            throw ProposalRejectedException.invalid(validation);
        }
        final ValidatedProposal proposal = validation.proposal();
        final String chaincodeName = proposal.chaincodeName();
        if (systemChaincodes.isSysCCAndNotInvokableExternal(chaincodeName)) {
            throw ProposalRejectedException.of(ProposalRejectedException.Reason.NOT_INVOKABLE,
                    "chaincode " + chaincodeName + " cannot be invoked through a proposal");
        }
        final String channelId = proposal.channelId();
        if (channelId.isEmpty()) {
            return new PreProcessed(proposal, Optional.empty());
        }
        final Optional<EndorserChannel> channel = channels.channel(channelId);
        if (channel.isPresent() && isCommitted(channel.get().ledger(), proposal.txId())) {
            throw ProposalRejectedException.of(ProposalRejectedException.Reason.DUPLICATE_TRANSACTION,
                    "duplicate transaction found [" + proposal.txId() + "]. Creator ["
                            + HexFormat.of().formatHex(proposal.creatorBytes().toByteArray()) + "]");
        }
        if (!systemChaincodes.isSysCC(chaincodeName)) {
            final PolicyResult acl = channel.map(c -> c.checkAcl(AclResources.PEER_PROPOSE, proposal.signedData()))
                    .orElseGet(() -> PolicyResult.failure(PolicyResult.Code.NO_SUCH_POLICY,
                            "Failed to get policy manager for channel [" + channelId + "]"));
            if (!acl.isSatisfied()) {
                throw ProposalRejectedException.of(ProposalRejectedException.Reason.ACCESS_DENIED, acl.message());
            }
        }
        return new PreProcessed(proposal, channel);
    }

    /** Fabric treats any failure of the txid lookup as "not a duplicate". */
    private static boolean isCommitted(final ChannelLedger ledger, final String txId) {
        try {
            return ledger.containsTxId(txId);
        } catch (RuntimeException e) {
            LOG.warn("txid lookup of {} failed, treating it as new: {}", txId, e.toString());
            return false;
        }
    }

    /** Fabric's {@code acquireTxSimulator}: a simulator for every channel proposal except to qscc and cscc. */
    private static boolean acquireTxSimulator(final String channelId, final String chaincodeName) {
        return !channelId.isEmpty() && !Qscc.NAME.equals(chaincodeName) && !CSCC.equals(chaincodeName);
    }

    /** What {@code SimulateProposal} produced (§1.5). */
    private record Simulation(ChaincodeData definition, Response response, ByteString results, ChaincodeEvent event) {
    }

    private ProposalResponse simulateAndEndorse(final ValidatedProposal proposal, final TxSimulator simulator,
            final HistoryQueryExecutor history) {
        final String channelId = proposal.channelId();
        final ChaincodeID target = proposal.headerExtension().getChaincodeId();
        final ChaincodeProposalPayload payload;
        final ChaincodeInvocationSpec invocation;
        try {
            payload = proposal.chaincodeProposalPayload();
        } catch (InvalidProtocolBufferException e) {
            return failure("error unmarshaling ChaincodeProposalPayload: " + e.getMessage());
        }
        try {
            invocation = ChaincodeInvocationSpec.parseFrom(payload.getInput());
        } catch (InvalidProtocolBufferException e) {
            return failure("error unmarshaling ChaincodeInvocationSpec: " + e.getMessage());
        }

        final Simulation simulation;
        try {
            simulation = simulate(proposal, target.getName(), invocation.getChaincodeSpec().getInput(), simulator,
                    history);
        } catch (ChaincodeException e) {
            LOG.warn("[{}][{}] failed to invoke chaincode {}: {}", channelId, shortTxId(proposal.txId()),
                    target.getName(), e.getMessage());
            return failure(e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("[{}][{}] simulation of chaincode {} failed", channelId, shortTxId(proposal.txId()),
                    target.getName(), e);
            return failure(String.valueOf(e.getMessage()));
        }

        final Response response = simulation.response();
        final ByteString event = simulation.event() == null ? ByteString.EMPTY : simulation.event().toByteString();
        if (response.getStatus() >= ERROR) {
            // CreateProposalResponseFailure: the payload with the client's own chaincode id, no endorsement
            final EndorsementContext context = new EndorsementContext(channelId, proposal.header(),
                    payload.getInput(), response, simulation.results(), event, target);
            return ProposalResponse.newBuilder()
                    .setResponse(response)
                    .setPayload(DefaultEndorsement.proposalResponsePayload(context))
                    .build();
        }
        if (channelId.isEmpty()) {
            return ProposalResponse.newBuilder().setResponse(response).build();
        }
        final boolean isSystem = simulation.definition() == null;
        final String escc = isSystem ? DefaultEndorsement.NAME : simulation.definition().escc();
        final String version = isSystem ? systemChaincodes.version() : simulation.definition().version();
        final EndorsementContext context = new EndorsementContext(channelId, proposal.header(), payload.getInput(),
                response, simulation.results(), event, target.toBuilder().setVersion(version).build());
        try {
            final EndorsementPlugin plugin = endorsementPlugins.require(escc);
            return plugin.endorse(context, signer);
        } catch (EndorsementException e) {
            LOG.warn("[{}][{}] endorsement failed: {}", channelId, shortTxId(proposal.txId()), e.getMessage());
            return failure(e.getMessage());
        }
    }

    /** Fabric's {@code SimulateProposal}. */
    private Simulation simulate(final ValidatedProposal proposal, final String chaincodeName,
            final ChaincodeInput input, final TxSimulator simulator, final HistoryQueryExecutor history)
            throws ChaincodeException {
        ChaincodeData definition = null;
        final String version;
        if (!systemChaincodes.isSysCC(chaincodeName)) {
            try {
                definition = definition(proposal.channelId(), chaincodeName, simulator);
            } catch (ChaincodeException e) {
                throw new ChaincodeException("make sure the chaincode " + chaincodeName
                        + " has been successfully instantiated and try again: " + e.getMessage(), e);
            }
            version = definition.version();
            lifecycle.checkInstantiationPolicy(chaincodeName, version, definition);
        } else {
            version = systemChaincodes.version();
        }

        final ChaincodeContext context = ChaincodeContext.builder(proposal.channelId(), chaincodeName, version,
                        proposal.txId())
                .signedProposal(proposal.signedProposal(), proposal.proposal())
                .simulator(simulator)
                .historyExecutor(history)
                .build();
        final Executed result = callChaincode(context, input);

        ByteString results = ByteString.EMPTY;
        if (simulator != null) {
            // collected once, then the simulator's shared lock is released before endorsing. The chaincode
            // handler used the simulator on its event-loop thread under the simulator's monitor: take it too.
            synchronized (simulator) {
                results = simulator.getTxSimulationResults().toByteString();
                simulator.done();
            }
        }
        return new Simulation(definition, result.response(), results, result.event());
    }

    /** A chaincode's answer: its response and, below status 400, its event (Fabric drops it otherwise). */
    private record Executed(Response response, ChaincodeEvent event) {
    }

    /**
     * Executes the target. Chaincode support runs system chaincodes with the Go shim's convention they have in
     * Fabric (an Invoke of status 500 or more is COMPLETED, not an ERROR), so an LSCC refusal arrives here as a
     * response and follows the status matrix like Fabric's.
     */
    private Executed execute(final ChaincodeContext context, final ChaincodeInput input) throws ChaincodeException {
        final ChaincodeResult result = chaincodeSupport.execute(context, input);
        final Response response = result.response();
        return new Executed(response, response.getStatus() >= ERROR_THRESHOLD ? null : result.event().orElse(null));
    }

    /** The definition read through the proposal's simulator (null without a channel), under its monitor. */
    private ChaincodeData definition(final String channelId, final String chaincodeName, final TxSimulator simulator)
            throws ChaincodeException {
        if (simulator == null) {
            return lifecycle.chaincodeDefinition(channelId, chaincodeName, null);
        }
        synchronized (simulator) {
            return lifecycle.chaincodeDefinition(channelId, chaincodeName, simulator);
        }
    }

    /** Fabric's {@code callChaincode} with the LSCC deploy/upgrade path (§1.6). */
    private Executed callChaincode(final ChaincodeContext context, final ChaincodeInput input)
            throws ChaincodeException {
        final Executed result = execute(context, input);
        if (result.response().getStatus() >= ERROR_THRESHOLD) {
            return result;
        }
        if (Lscc.NAME.equals(context.name()) && input.getArgsCount() >= 3) {
            final String function = input.getArgs(0).toStringUtf8();
            if (Lscc.DEPLOY.equals(function) || Lscc.UPGRADE.equals(function)) {
                final ChaincodeDeploymentSpec userSpec = deploymentSpec(input.getArgs(2));
                final ChaincodeDeploymentSpec spec = sanitizeUserCds(userSpec);
                final ChaincodeID id = spec.getChaincodeSpec().getChaincodeId();
                if (systemChaincodes.isSysCC(id.getName())) {
                    throw new ChaincodeException("attempting to deploy a system chaincode " + id.getName() + "/"
                            + context.channelId());
                }
                final ChaincodeContext init = ChaincodeContext.builder(context.channelId(), id.getName(),
                                id.getVersion(), context.txId())
                        .signedProposal(context.signedProposal(), context.proposal())
                        .simulator(context.simulator())
                        .historyExecutor(context.historyExecutor())
                        .init(true)
                        .build();
                // Fabric drops Init's response: only an error fails the instantiation
                chaincodeSupport.executeLegacyInit(init, spec);
            }
        }
        return result;
    }

    /**
     * Fabric's {@code GetChaincodeDeploymentSpec}: parse, then the platform check of the chaincode type and, for
     * JAVA, of a code package if the client sent one (normally it sends none: the installed one is used).
     */
    private static ChaincodeDeploymentSpec deploymentSpec(final ByteString bytes) throws ChaincodeException {
        final ChaincodeDeploymentSpec spec;
        try {
            spec = ChaincodeDeploymentSpec.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("error unmarshaling ChaincodeDeploymentSpec: " + e.getMessage(), e);
        }
        final ChaincodeSpec.Type type = spec.getChaincodeSpec().getType();
        switch (type) {
            case GOLANG, NODE, CAR -> {
                // known platforms whose code this peer never builds: the installed package decides what runs
            }
            case JAVA -> {
                if (!spec.getCodePackage().isEmpty()) {
                    try {
                        JavaCodePackage.validate(spec.getCodePackage());
                    } catch (InvalidChaincodeException e) {
                        throw new ChaincodeException(e.getMessage(), e);
                    }
                }
            }
            default -> throw new ChaincodeException("Unknown chaincodeType: " + type);
        }
        return spec;
    }

    /**
     * Fabric's {@code SanitizeUserCDS}: the installed package's deployment spec without its code package, carrying
     * the client's Init input.
     */
    private ChaincodeDeploymentSpec sanitizeUserCds(final ChaincodeDeploymentSpec userSpec)
            throws ChaincodeException {
        final ChaincodeID id = userSpec.getChaincodeSpec().getChaincodeId();
        final ChaincodePackage pkg;
        try {
            pkg = packages.get(id.getName(), id.getVersion()).orElseThrow(() -> new InvalidChaincodeException(
                    "chaincode " + id.getName() + ":" + id.getVersion() + " is not installed"));
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException("cannot deploy a chaincode which is not installed: could not get chaincode "
                    + "from fs: " + e.getMessage(), e);
        }
        final ChaincodeDeploymentSpec installed = pkg.deploymentSpec();
        return installed.toBuilder()
                .clearCodePackage()
                .setChaincodeSpec(installed.getChaincodeSpec().toBuilder()
                        .setInput(userSpec.getChaincodeSpec().getInput()))
                .build();
    }

    private static ProposalResponse failure(final String message) {
        return ProposalResponse.newBuilder()
                .setResponse(Response.newBuilder().setStatus(ERROR).setMessage(message))
                .build();
    }

    private static String shortTxId(final String txId) {
        return txId.length() < 8 ? txId : txId.substring(0, 8);
    }

    /** The chaincode support this endorser runs chaincodes with. */
    public ChaincodeSupport chaincodeSupport() {
        return chaincodeSupport;
    }

    /** The version the system chaincodes run and are endorsed under. */
    public String systemChaincodeVersion() {
        return systemChaincodes.version();
    }

    /** Stops every chaincode and the chaincode support's threads; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        chaincodeSupport.close();
    }

    /**
     * Builder for {@link Endorser}. Required: {@link #signingIdentity}, {@link #localMsp}, {@link #channels},
     * {@link #packageStore}. Defaults: a {@link ChaincodeSupport} with Fabric's defaults (child-process chaincodes),
     * {@code escc} = {@link DefaultEndorsement} only, validation plugin {@code vscc}, auth filter
     * {@link ExpirationCheck}.
     */
    public static final class Builder {
        private SigningIdentity signer;
        private Msp localMsp;
        private EndorserChannels channels;
        private ChaincodePackageStore packageStore;
        private ChaincodeSupport.Builder chaincodeSupport;
        private EndorsementPluginRegistry endorsementPlugins = EndorsementPluginRegistry.withDefaults();
        private Set<String> validationPlugins = Set.of("vscc");
        private String systemChaincodeVersion;
        private final List<AuthFilter> authFilters = new ArrayList<>(List.of(new ExpirationCheck()));

        private Builder() {
        }

        /** The peer's signing identity: endorsements are signed with it. */
        public Builder signingIdentity(final SigningIdentity identity) {
            this.signer = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** The peer's local MSP: checks creators of channel-less proposals and LSCC's {@code install} admins. */
        public Builder localMsp(final Msp msp) {
            this.localMsp = Objects.requireNonNull(msp, "msp");
            return this;
        }

        /** The channels this peer has joined. */
        public Builder channels(final EndorserChannels joined) {
            this.channels = Objects.requireNonNull(joined, "joined");
            return this;
        }

        /** The installed chaincode packages ({@code <data>/chaincodes}). */
        public Builder packageStore(final ChaincodePackageStore store) {
            this.packageStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The chaincode support's settings (runtime, timeouts, system chaincode version ...). The endorser completes
         * them at {@link #build()} (system chaincodes, package store, lifecycle, ACLs, ledgers) and owns the
         * support it builds.
         */
        public Builder chaincodeSupport(final ChaincodeSupport.Builder settings) {
            this.chaincodeSupport = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The endorsement plugins by name (default: {@code escc} only). */
        public Builder endorsementPlugins(final EndorsementPluginRegistry registry) {
            this.endorsementPlugins = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The validation plugin names a chaincode definition may carry (default {@code vscc}). */
        public Builder validationPlugins(final Set<String> names) {
            this.validationPlugins = Set.copyOf(names);
            return this;
        }

        /**
         * The version system chaincodes run and are endorsed under (Fabric's {@code metadata.Version}; default the
         * chaincode support's, {@value ChaincodeSupport#DEFAULT_SYSTEM_CHAINCODE_VERSION}).
         */
        public Builder systemChaincodeVersion(final String version) {
            this.systemChaincodeVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Replaces the auth filters (default: {@link ExpirationCheck} only), run in the order given. */
        public Builder authFilters(final List<AuthFilter> filters) {
            authFilters.clear();
            authFilters.addAll(filters);
            return this;
        }

        /**
         * Builds the endorser and its chaincode support, with {@code lscc} and {@code qscc} registered in-process.
         *
         * @throws NullPointerException naming a missing required setting
         */
        public Endorser build() {
            Objects.requireNonNull(signer, "signingIdentity is required");
            Objects.requireNonNull(localMsp, "localMsp is required");
            Objects.requireNonNull(channels, "channels is required");
            Objects.requireNonNull(packageStore, "packageStore is required");
            final EndorserChannels joined = channels;
            final Lifecycle lifecycle = new LsccLifecycle(packageStore);
            final Lscc lscc = Lscc.builder()
                    .packageStore(packageStore)
                    .channels(id -> joined.channel(id).map(c -> c))
                    .localMsp(localMsp)
                    .endorsementPlugins(endorsementPlugins.names())
                    .validationPlugins(validationPlugins)
                    .build();
            final ChaincodeSupport.Builder settings = chaincodeSupport != null ? chaincodeSupport
                    : ChaincodeSupport.builder();
            final Qscc qscc = new Qscc(id -> joined.channel(id).map(c -> c.ledger().blockStore()),
                    id -> joined.channel(id).map(c -> c));
            if (systemChaincodeVersion != null) {
                settings.systemChaincodeVersion(systemChaincodeVersion);
            }
            settings.systemChaincode(new SystemChaincode(Lscc.NAME, lscc, true, true))
                    .systemChaincode(new SystemChaincode(Qscc.NAME, qscc, true, true))
                    .packages(packageStore)
                    .lifecycle(lifecycle)
                    .acl((resource, channelId, signedProposal) -> checkAcl(joined, resource, channelId,
                            signedProposal))
                    .ledgers(id -> joined.channel(id).map(EndorserChannel::ledger))
                    .applicationConfig(id -> joined.channel(id)
                            .map(c -> new ApplicationCapabilities(c.capabilities().keyLevelEndorsement())));
            return new Endorser(this, settings.build(), lifecycle);
        }

        private static void checkAcl(final EndorserChannels channels, final String resource, final String channelId,
                final SignedProposal signedProposal) throws ChaincodeException {
            final Optional<EndorserChannel> channel = channels.channel(channelId);
            if (channel.isEmpty()) {
                throw new ChaincodeException("Failed to get policy manager for channel [" + channelId + "]");
            }
            final List<SignedData> signedData;
            try {
                signedData = List.of(signedDataOf(signedProposal));
            } catch (InvalidProtocolBufferException e) {
                throw new ChaincodeException("Failing extracting signed data from the proposal: " + e.getMessage(), e);
            }
            final PolicyResult result = channel.get().checkAcl(resource, signedData);
            if (!result.isSatisfied()) {
                throw new ChaincodeException(result.message());
            }
        }

        private static SignedData signedDataOf(final SignedProposal signedProposal)
                throws InvalidProtocolBufferException {
            final var proposal = org.hyperledger.fabric.protos.peer.Proposal.parseFrom(
                    signedProposal.getProposalBytes());
            final var header = org.hyperledger.fabric.protos.common.Header.parseFrom(proposal.getHeader());
            final var signatureHeader = org.hyperledger.fabric.protos.common.SignatureHeader.parseFrom(
                    header.getSignatureHeader());
            return new SignedData(signedProposal.getProposalBytes(), signatureHeader.getCreator(),
                    signedProposal.getSignature());
        }
    }
}
