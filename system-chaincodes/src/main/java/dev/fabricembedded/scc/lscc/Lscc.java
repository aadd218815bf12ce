package dev.fabricembedded.scc.lscc;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodeNames;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import dev.fabricembedded.scc.channel.AclResources;
import dev.fabricembedded.scc.channel.ChannelView;
import dev.fabricembedded.scc.channel.ChannelViews;
import dev.fabricembedded.scc.escc.DefaultEndorsement;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import dev.fabricembedded.shim.ledger.KeyValue;
import dev.fabricembedded.shim.ledger.QueryResultsIterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeQueryResponse;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.LifecycleEvent;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle system chaincode of Fabric 1.4 ({@code core/scc/lscc}): install, deploy (instantiate), upgrade and
 * the chaincode queries, with Fabric's argument layouts, defaults, access checks and error texts (§2 of the
 * reference). Every failure is a {@code 500} response whose message is Fabric's text.
 *
 * <p>LSCC reads and writes the ledger only through the {@link ChaincodeStub} (namespace {@code lscc} of the
 * proposal's channel), so its reads and writes land in the transaction's read-write set and are validated at commit
 * like any chaincode's. What is not in the ledger comes from injected interfaces: installed packages
 * ({@link ChaincodePackageStore}), the joined channels' configuration ({@link ChannelViews}) and the peer's local MSP
 * (for the {@code Admins} check of {@code install} and {@code getinstalledchaincodes}).
 *
 * <p>Deviations from Fabric, both deliberate: a deploy or upgrade naming a channel this peer has not joined gets a
 * {@code 500} (Fabric panics); an escc or vscc name that is not a registered plugin is refused at deploy/upgrade
 * (Fabric accepts it and fails every later proposal or block).
 *
 * <p>Thread-safe and stateless between invocations: the peer may run invocations of different transactions
 * concurrently.
 */
public final class Lscc implements Chaincode {

    /** The system chaincode name. */
    public static final String NAME = "lscc";

    /** {@code install}. */
    public static final String INSTALL = "install";
    /** {@code deploy}. */
    public static final String DEPLOY = "deploy";
    /** {@code upgrade}. */
    public static final String UPGRADE = "upgrade";
    /** {@code getid} (alias {@code ChaincodeExists}). */
    public static final String GET_CC_INFO = "getid";
    /** {@code getdepspec} (alias {@code GetDeploymentSpec}). */
    public static final String GET_DEP_SPEC = "getdepspec";
    /** {@code getccdata} (alias {@code GetChaincodeData}). */
    public static final String GET_CC_DATA = "getccdata";
    /** {@code getchaincodes} (alias {@code GetChaincodes}). */
    public static final String GET_CHAINCODES = "getchaincodes";
    /** {@code getinstalledchaincodes} (alias {@code GetInstalledChaincodes}). */
    public static final String GET_INSTALLED_CHAINCODES = "getinstalledchaincodes";
    /** {@code GetCollectionsConfig} (alias {@code getcollectionsconfig}). */
    public static final String GET_COLLECTIONS_CONFIG = "GetCollectionsConfig";

    /** The event name set by {@code upgrade}. */
    public static final String UPGRADE_EVENT = "upgrade";

    /** The suffix of the key holding a chaincode's collection configuration ({@code <name>~collection}). */
    public static final String COLLECTION_KEY_SUFFIX = "~collection";

    private static final Logger LOG = LoggerFactory.getLogger(Lscc.class);

    private final ChaincodePackageStore packages;
    private final ChannelViews channels;
    private final LocalAdminCheck localAdmins;
    private final Set<String> endorsementPlugins;
    private final Set<String> validationPlugins;

    private Lscc(Builder b) {
        this.packages = Objects.requireNonNull(b.packages, "packageStore");
        this.channels = Objects.requireNonNull(b.channels, "channels");
        this.localAdmins = new LocalAdminCheck(Objects.requireNonNull(b.localMsp, "localMsp"));
        this.endorsementPlugins = Set.copyOf(b.endorsementPlugins);
        this.validationPlugins = Set.copyOf(b.validationPlugins);
    }

    /** A builder; the package store, channel views and local MSP are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** LSCC has nothing to initialise: {@code 200} with no payload. */
    @Override
    public Response init(ChaincodeStub stub) {
        return Response.success();
    }

    @Override
    public Response invoke(ChaincodeStub stub) {
        List<byte[]> args = stub.getArgs();
        if (args.isEmpty()) {
            return Response.error(invalidArgs(0));
        }
        String function = new String(args.get(0), UTF_8);
        SignedProposal signedProposal = stub.getSignedProposal();
        if (signedProposal == null) {
            return Response.error("Failed retrieving signed proposal on executing " + function
                    + " with error no signed proposal in the transaction context");
        }
        try {
            return switch (function) {
                case INSTALL -> install(args, function, signedProposal);
                case DEPLOY, UPGRADE -> deployOrUpgrade(stub, args, function, signedProposal);
                case GET_CC_INFO, "ChaincodeExists", GET_DEP_SPEC, "GetDeploymentSpec", GET_CC_DATA,
                     "GetChaincodeData" -> chaincodeQuery(stub, args, function, signedProposal);
                case GET_CHAINCODES, "GetChaincodes" -> instantiatedChaincodes(stub, args, function, signedProposal);
                case GET_INSTALLED_CHAINCODES, "GetInstalledChaincodes" ->
                        installedChaincodes(args, function, signedProposal);
                case GET_COLLECTIONS_CONFIG, "getcollectionsconfig" ->
                        collectionsConfig(stub, args, function, signedProposal);
                default -> Response.error("invalid function to lscc: " + function);
            };
        } catch (LsccException | InvalidChaincodeException e) {
            return Response.error(e.getMessage());
        }
    }

    // ---- install and installed packages ----

    private Response install(List<byte[]> args, String function, SignedProposal signedProposal) {
        if (args.size() < 2) {
            return Response.error(invalidArgs(args.size()));
        }
        requireLocalAdmin(function, signedProposal);
        ChaincodePackage pkg = packages.install(ByteString.copyFrom(args.get(1)));
        LOG.info("installed chaincode {}:{}", pkg.name(), pkg.version());
        return Response.success("OK");
    }

    private Response installedChaincodes(List<byte[]> args, String function, SignedProposal signedProposal) {
        if (args.size() != 1) {
            return Response.error(invalidArgs(args.size()));
        }
        requireLocalAdmin(function, signedProposal);
        ChaincodeQueryResponse.Builder response = ChaincodeQueryResponse.newBuilder();
        for (ChaincodePackage pkg : packages.list()) {
            response.addChaincodes(ChaincodeInfo.newBuilder()
                    .setName(pkg.name())
                    .setVersion(pkg.version())
                    .setPath(pkg.deploymentSpec().getChaincodeSpec().getChaincodeId().getPath())
                    .setId(pkg.id()));
        }
        return Response.success(response.build().toByteArray());
    }

    private void requireLocalAdmin(String function, SignedProposal signedProposal) {
        localAdmins.check(signedProposal).ifPresent(error -> {
            throw new LsccException("access denied for [" + function + "]: " + error);
        });
    }

    // ---- deploy and upgrade ----

    private Response deployOrUpgrade(ChaincodeStub stub, List<byte[]> args, String function,
                                     SignedProposal signedProposal) {
        if (args.size() < 3) {
            return Response.error(invalidArgs(args.size()));
        }
        String channelName = new String(args.get(1), UTF_8);
        if (channelName.isEmpty()) {
            return Response.error("invalid channel name: " + channelName);
        }
        Optional<ChannelView> joined = channels.channel(channelName);
        if (joined.isEmpty()) {
            return Response.error("cannot " + function + " chaincode on channel [" + channelName
                    + "]: this peer has not joined it");
        }
        ChannelView channel = joined.get();
        boolean privateData = channel.capabilities().privateChannelData();
        if (!privateData && args.size() > 6) {
            return Response.error("as V1_2 or later capability is not enabled, private channel collections and data "
                    + "are not available");
        }
        if (privateData && args.size() > 7) {
            return Response.error(invalidArgs(args.size()));
        }
        ChaincodeDeploymentSpec cds;
        try {
            cds = ChaincodeDeploymentSpec.parseFrom(args.get(2));
        } catch (InvalidProtocolBufferException e) {
            return Response.error("error unmarshaling ChaincodeDeploymentSpec: " + e.getMessage());
        }
        ByteString endorsementPolicy = optionalArg(args, 3)
                .orElseGet(() -> SignaturePolicies.signedByAnyMember(channel.applicationOrgs()).toByteString());
        String escc = optionalArg(args, 4).map(ByteString::toStringUtf8).orElse(DefaultEndorsement.NAME);
        String vscc = optionalArg(args, 5).map(ByteString::toStringUtf8).orElse("vscc");
        ByteString collections = privateData && args.size() > 6 ? ByteString.copyFrom(args.get(6)) : null;

        ChaincodeSpec spec = cds.getChaincodeSpec();
        String name = spec.getChaincodeId().getName();
        String version = spec.getChaincodeId().getVersion();
        ChaincodeNames.requireValidName(name);
        ChaincodeNames.requireValidVersion(version);
        requireKnownPlugins(escc, vscc);
        ChaincodePackage pkg = installedPackage(name, version);
        SignedData proposalSignature = proposalSignature(signedProposal);
        ChaincodeData definition = DEPLOY.equals(function)
                ? deploy(stub, channel, pkg, endorsementPolicy, escc, vscc, collections, proposalSignature)
                : upgrade(stub, channel, pkg, endorsementPolicy, escc, vscc, collections, proposalSignature);
        return Response.success(definition.toByteString().toByteArray());
    }

    private ChaincodeData deploy(ChaincodeStub stub, ChannelView channel, ChaincodePackage pkg,
                                 ByteString endorsementPolicy, String escc, String vscc, ByteString collections,
                                 SignedData proposalSignature) {
        String name = pkg.name();
        if (stub.getState(name).length > 0) {
            throw new LsccException("chaincode with name '" + name + "' already exists");
        }
        ChaincodeData definition = pkg.chaincodeData().withInstance(escc, vscc, endorsementPolicy)
                .withInstantiationPolicy(instantiationPolicy(pkg, channel));
        checkInstantiationPolicy(definition.instantiationPolicy(), channel, proposalSignature);
        stub.putState(name, definition.toByteString().toByteArray());
        putCollections(stub, channel, definition, collections);
        return definition;
    }

    private ChaincodeData upgrade(ChaincodeStub stub, ChannelView channel, ChaincodePackage pkg,
                                  ByteString endorsementPolicy, String escc, String vscc, ByteString collections,
                                  SignedData proposalSignature) {
        String name = pkg.name();
        byte[] existing = stub.getState(name);
        if (existing.length == 0) {
            throw new LsccException(notFound(name));
        }
        ChaincodeData onLedger = definitionOf(name, existing);
        if (onLedger.version().equals(pkg.version())) {
            throw new LsccException("version already exists for chaincode with name '" + name + "'");
        }
        if (onLedger.instantiationPolicy().isEmpty()) {
            throw new LsccException("instantiation policy missing");
        }
        checkInstantiationPolicy(onLedger.instantiationPolicy(), channel, proposalSignature);
        ChaincodeData definition = pkg.chaincodeData().withInstance(escc, vscc, endorsementPolicy)
                .withInstantiationPolicy(instantiationPolicy(pkg, channel));
        checkInstantiationPolicy(definition.instantiationPolicy(), channel, proposalSignature);
        stub.putState(name, definition.toByteString().toByteArray());
        if (channel.capabilities().collectionUpgrade()) {
            putCollections(stub, channel, definition, collections);
        } else if (collections != null) {
            throw new LsccException("as V1_2 capability is not enabled, collection upgrades are not allowed");
        }
        stub.setEvent(UPGRADE_EVENT, LifecycleEvent.newBuilder().setChaincodeName(name).build().toByteArray());
        return definition;
    }

    private void requireKnownPlugins(String escc, String vscc) {
        if (!endorsementPlugins.contains(escc)) {
            throw new LsccException("escc '" + escc + "' is not an endorsement plugin of this peer (known: "
                    + new TreeSet<>(endorsementPlugins) + ")");
        }
        if (!validationPlugins.contains(vscc)) {
            throw new LsccException("vscc '" + vscc + "' is not a validation plugin of this peer (known: "
                    + new TreeSet<>(validationPlugins) + ")");
        }
    }

    private ChaincodePackage installedPackage(String name, String version) {
        Optional<ChaincodePackage> pkg;
        try {
            pkg = packages.get(name, version);
        } catch (InvalidChaincodeException e) {
            LOG.error("cannot get package for chaincode ({}:{})-err:{}", name, version, e.getMessage());
            pkg = Optional.empty();
        }
        return pkg.orElseThrow(() -> new LsccException("cannot get package for chaincode (" + name + ":" + version
                + ")"));
    }

    /** The package's instantiation policy, or the default {@code SignedByAnyAdmin} of the channel's orgs. */
    private static ByteString instantiationPolicy(ChaincodePackage pkg, ChannelView channel) {
        return pkg.instantiationPolicy()
                .orElseGet(() -> SignaturePolicies.signedByAnyAdmin(channel.applicationOrgs()).toByteString());
    }

    private static void checkInstantiationPolicy(ByteString policyBytes, ChannelView channel, SignedData signature) {
        PolicyResult result;
        try {
            result = CompiledSignaturePolicy.compile(policyBytes, channel.deserializer()).evaluate(List.of(signature));
        } catch (InvalidPolicyException e) {
            throw new LsccException(e.getMessage());
        }
        if (!result.isSatisfied()) {
            throw new LsccException("instantiation policy violation: " + result.message());
        }
    }

    private static void putCollections(ChaincodeStub stub, ChannelView channel, ChaincodeData definition,
                                       ByteString collections) {
        if (collections == null || collections.isEmpty()) {
            return;
        }
        CollectionConfigCheck.check(collections, definition.name(), definition.version(), channel);
        stub.putState(definition.name() + COLLECTION_KEY_SUFFIX, collections.toByteArray());
    }

    // ---- queries ----

    private Response chaincodeQuery(ChaincodeStub stub, List<byte[]> args, String function,
                                    SignedProposal signedProposal) {
        if (args.size() != 3) {
            return Response.error(invalidArgs(args.size()));
        }
        String channelName = new String(args.get(1), UTF_8);
        String name = new String(args.get(2), UTF_8);
        String resource = switch (function) {
            case GET_CC_INFO, "ChaincodeExists" -> AclResources.LSCC_CHAINCODE_EXISTS;
            case GET_DEP_SPEC, "GetDeploymentSpec" -> AclResources.LSCC_GET_DEPLOYMENT_SPEC;
            default -> AclResources.LSCC_GET_CHAINCODE_DATA;
        };
        checkAcl(resource, channelName, function, "[" + function + "][" + channelName + "]", signedProposal);
        byte[] stored = stub.getState(name);
        if (stored.length == 0) {
            LOG.error("error getting chaincode {} on channel [{}]: {}", name, channelName, notFound(name));
            return Response.error(notFound(name));
        }
        return switch (resource) {
            case AclResources.LSCC_CHAINCODE_EXISTS -> Response.success(definitionOf(name, stored).name());
            case AclResources.LSCC_GET_CHAINCODE_DATA -> Response.success(stored);
            default -> Response.success(verifiedDeploymentSpec(name, stored).toByteArray());
        };
    }

    /** Fabric's {@code getCCCode}: the installed package's deployment spec after the fingerprint check. */
    private ByteString verifiedDeploymentSpec(String name, byte[] stored) {
        ChaincodeData definition = definitionOf(name, stored);
        Optional<ChaincodePackage> pkg;
        try {
            pkg = packages.get(name, definition.version());
        } catch (InvalidChaincodeException e) {
            throw new LsccException("invalid deployment spec: " + e.getMessage());
        }
        if (pkg.isEmpty()) {
            throw new LsccException("invalid deployment spec: chaincode " + name + ":" + definition.version()
                    + " is not installed on this peer");
        }
        pkg.get().validateAgainst(definition);
        return pkg.get().deploymentSpecBytes();
    }

    private Response instantiatedChaincodes(ChaincodeStub stub, List<byte[]> args, String function,
                                            SignedProposal signedProposal) {
        if (args.size() != 1) {
            return Response.error(invalidArgs(args.size()));
        }
        String channelName = stub.getChannelId();
        checkAcl(AclResources.LSCC_GET_INSTANTIATED_CHAINCODES, channelName, function,
                "[" + function + "][" + channelName + "]", signedProposal);
        ChaincodeQueryResponse.Builder response = ChaincodeQueryResponse.newBuilder();
        try (QueryResultsIterator<KeyValue> all = stub.getStateByRange("", "")) {
            for (KeyValue kv : all) {
                if (kv.getKey().contains("~")) {
                    continue;
                }
                ChaincodeData definition;
                try {
                    definition = ChaincodeData.parse(ByteString.copyFrom(kv.getValue()));
                } catch (InvalidProtocolBufferException e) {
                    return Response.error(e.getMessage());
                }
                ChaincodeInfo.Builder info = ChaincodeInfo.newBuilder()
                        .setName(definition.name()).setVersion(definition.version())
                        .setEscc(definition.escc()).setVscc(definition.vscc());
                installedQuietly(definition.name(), definition.version()).ifPresent(pkg -> info
                        .setPath(pkg.deploymentSpec().getChaincodeSpec().getChaincodeId().getPath())
                        .setInput(ChaincodeInputText.of(pkg.deploymentSpec().getChaincodeSpec().getInput())));
                response.addChaincodes(info);
            }
        }
        return Response.success(response.build().toByteArray());
    }

    private Optional<ChaincodePackage> installedQuietly(String name, String version) {
        try {
            return packages.get(name, version);
        } catch (InvalidChaincodeException e) {
            LOG.debug("chaincode {}:{} is not readable locally: {}", name, version, e.getMessage());
            return Optional.empty();
        }
    }

    private Response collectionsConfig(ChaincodeStub stub, List<byte[]> args, String function,
                                       SignedProposal signedProposal) {
        if (args.size() != 2) {
            return Response.error(invalidArgs(args.size()));
        }
        String name = new String(args.get(1), UTF_8);
        checkAcl(AclResources.LSCC_GET_COLLECTIONS_CONFIG, stub.getChannelId(), function, "[" + function + "]",
                signedProposal);
        byte[] config = stub.getState(name + COLLECTION_KEY_SUFFIX);
        if (config.length == 0) {
            return Response.error("collections config not defined for chaincode " + name);
        }
        return Response.success(config);
    }

    // ---- shared ----

    private void checkAcl(String resource, String channelName, String function, String where,
                          SignedProposal signedProposal) {
        Optional<ChannelView> channel = channels.channel(channelName);
        String denied = "access denied for " + where + ": ";
        if (channel.isEmpty()) {
            throw new LsccException(denied + "Failed to get policy manager for channel [" + channelName + "]");
        }
        SignedData signedData;
        try {
            signedData = ProposalSignedData.of(signedProposal);
        } catch (InvalidProtocolBufferException e) {
            throw new LsccException(denied + "Failing extracting proposal during check policy on channel ["
                    + channelName + "]: [" + e.getMessage() + "]");
        }
        PolicyResult result = channel.get().checkAcl(resource, List.of(signedData));
        if (!result.isSatisfied()) {
            LOG.debug("{} denied for {}: {}", function, resource, result.message());
            throw new LsccException(denied + result.message());
        }
    }

    private static SignedData proposalSignature(SignedProposal signedProposal) {
        try {
            return ProposalSignedData.of(signedProposal);
        } catch (InvalidProtocolBufferException e) {
            throw new LsccException("instantiation policy violation: could not read the proposal: " + e.getMessage());
        }
    }

    private static ChaincodeData definitionOf(String key, byte[] stored) {
        ChaincodeData definition;
        try {
            definition = ChaincodeData.parse(ByteString.copyFrom(stored));
        } catch (InvalidProtocolBufferException e) {
            throw new LsccException("error while unmarshalling chaincode data of " + key + ": " + e.getMessage());
        }
        if (!definition.name().equals(key)) {
            throw new LsccException("chaincode name mismatch: " + key + "!=" + definition.name());
        }
        return definition;
    }

    private static Optional<ByteString> optionalArg(List<byte[]> args, int index) {
        return args.size() > index && args.get(index).length > 0
                ? Optional.of(ByteString.copyFrom(args.get(index)))
                : Optional.empty();
    }

    private static String invalidArgs(int count) {
        return "invalid number of arguments to lscc: " + count;
    }

    private static String notFound(String name) {
        return "could not find chaincode with name '" + name + "'";
    }

    @Override
    public String toString() {
        return "Lscc{" + packages + "}";
    }

    /**
     * Builder for {@link Lscc}. Required: {@link #packageStore}, {@link #channels}, {@link #localMsp}. Defaults: the
     * known plugin names are Fabric's built-ins, {@code escc} and {@code vscc}.
     */
    public static final class Builder {
        private ChaincodePackageStore packages;
        private ChannelViews channels;
        private Msp localMsp;
        private Set<String> endorsementPlugins = Set.of(DefaultEndorsement.NAME);
        private Set<String> validationPlugins = Set.of("vscc");

        private Builder() {
        }

        /** The installed packages. */
        public Builder packageStore(ChaincodePackageStore store) {
            this.packages = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The joined channels. */
        public Builder channels(ChannelViews views) {
            this.channels = Objects.requireNonNull(views, "views");
            return this;
        }

        /** The peer's local MSP, whose admins may install and list installed chaincode. */
        public Builder localMsp(Msp msp) {
            this.localMsp = Objects.requireNonNull(msp, "msp");
            return this;
        }

        /** The escc names a definition may carry (the endorsement plugin registry's names). */
        public Builder endorsementPlugins(Set<String> names) {
            this.endorsementPlugins = Set.copyOf(names);
            return this;
        }

        /** The vscc names a definition may carry (the validation plugin registry's names). */
        public Builder validationPlugins(Set<String> names) {
            this.validationPlugins = Set.copyOf(names);
            return this;
        }

        public Lscc build() {
            return new Lscc(this);
        }
    }
}
