package dev.fabricembedded.orderer.channelconfig;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.msp.policy.Policy;
import dev.fabricembedded.msp.policy.PolicyGroup;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockDataHashingStructure;
import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Consortium;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HashingAlgorithm;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
import org.hyperledger.fabric.protos.orderer.ConsensusType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A channel's configuration, parsed and ready to use (Fabric's {@code channelconfig.Bundle}): the MSP manager of the
 * channel (every application and orderer organisation's MSP), the policy tree evaluable by path
 * ({@code /Channel/Writers}, {@code /Channel/Application/Org1MSP/Admins}, {@code /Channel/Orderer/BlockValidation}),
 * the orderer's batch settings and consensus type, the capabilities of each level and the organisations.
 *
 * <p>Built from a genesis block ({@link #fromGenesisBlock(Block)}), any config block or a {@code Config}. Parsing
 * applies Fabric's checks (hashing algorithm SHA256, data hashing width MaxUint32, batch settings, capabilities this
 * implementation supports, MSP setup, policies that compile) and fails with {@link InvalidChannelConfigException}
 * naming the problem. Immutable and thread-safe: share one instance per channel across threads; policy evaluation
 * keeps its working state on the calling thread.
 */
public final class ChannelConfig {

    private final String channelId;
    private final Config config;
    private final String hashingAlgorithm;
    private final List<String> ordererAddresses;
    private final String consortium;
    private final ChannelCapabilities channelCapabilities;
    private final ApplicationCapabilities applicationCapabilities;
    private final OrdererCapabilities ordererCapabilities;
    private final BatchSettings batchSettings;
    private final String consensusType;
    private final List<OrganizationConfig> applicationOrganizations;
    private final List<OrganizationConfig> ordererOrganizations;
    private final MspManager mspManager;
    private final PolicyGroup policies;

    private ChannelConfig(String channelId, Config config) {
        this.channelId = channelId;
        this.config = config;
        if (!config.hasChannelGroup()) {
            throw invalid(channelId, "config has no channel group");
        }
        ConfigGroup channel = config.getChannelGroup();
        this.hashingAlgorithm = value(channelId, channel, ConfigKeys.HASHING_ALGORITHM, HashingAlgorithm.parser(),
                "channel").map(HashingAlgorithm::getName).orElse("");
        if (!ConfigKeys.SHA256.equals(hashingAlgorithm)) {
            throw invalid(channelId, "Unknown hashing algorithm type: " + hashingAlgorithm);
        }
        int width = value(channelId, channel, ConfigKeys.BLOCK_DATA_HASHING_STRUCTURE,
                BlockDataHashingStructure.parser(), "channel").map(BlockDataHashingStructure::getWidth).orElse(0);
        if (width != ConfigKeys.BLOCK_DATA_HASHING_WIDTH) {
            throw invalid(channelId, "BlockDataHashStructure width only supported at MaxUint32 in this version");
        }
        this.ordererAddresses = value(channelId, channel, ConfigKeys.ORDERER_ADDRESSES, OrdererAddresses.parser(),
                "channel").map(a -> List.copyOf(a.getAddressesList())).orElse(List.of());
        this.consortium = value(channelId, channel, ConfigKeys.CONSORTIUM, Consortium.parser(), "channel")
                .map(Consortium::getName).orElse("");
        this.channelCapabilities = ChannelCapabilities.fromProto(capabilities(channelId, channel, "channel"));

        ConfigGroup orderer = group(channelId, channel, ConfigKeys.ORDERER_GROUP);
        BatchSize batchSize = value(channelId, orderer, ConfigKeys.BATCH_SIZE, BatchSize.parser(), "orderer")
                .orElseThrow(() -> invalid(channelId, "orderer group has no " + ConfigKeys.BATCH_SIZE + " value"));
        BatchTimeout batchTimeout = value(channelId, orderer, ConfigKeys.BATCH_TIMEOUT, BatchTimeout.parser(),
                "orderer").orElseThrow(() -> invalid(channelId, "orderer group has no " + ConfigKeys.BATCH_TIMEOUT
                + " value"));
        try {
            this.batchSettings = BatchSettings.fromProto(batchSize, batchTimeout);
        } catch (IllegalArgumentException e) {
            throw invalid(channelId, e.getMessage(), e);
        }
        this.consensusType = value(channelId, orderer, ConfigKeys.CONSENSUS_TYPE, ConsensusType.parser(), "orderer")
                .map(ConsensusType::getType)
                .orElseThrow(() -> invalid(channelId, "orderer group has no " + ConfigKeys.CONSENSUS_TYPE + " value"));
        this.ordererCapabilities = OrdererCapabilities.fromProto(capabilities(channelId, orderer, "orderer"));

        ConfigGroup application = group(channelId, channel, ConfigKeys.APPLICATION_GROUP);
        this.applicationCapabilities = ApplicationCapabilities.fromProto(capabilities(channelId, application,
                "application"));
        for (CapabilitySet capabilities : List.of(channelCapabilities, applicationCapabilities, ordererCapabilities)) {
            capabilities.unsupported().ifPresent(message -> {
                throw invalid(channelId, message);
            });
        }

        Map<String, Msp> msps = new LinkedHashMap<>();
        this.applicationOrganizations = organizations(channelId, application, "application", msps);
        this.ordererOrganizations = organizations(channelId, orderer, "orderer", msps);
        this.mspManager = MspManager.of(msps.values());
        try {
            this.policies = PolicyGroup.fromConfigGroup(ConfigKeys.CHANNEL_GROUP, channel, mspManager);
        } catch (InvalidPolicyException e) {
            throw invalid(channelId, e.getMessage(), e);
        }
    }

    /**
     * Parses a channel's genesis block: block 0, no previous hash, a correct data hash, one CONFIG envelope.
     *
     * @throws InvalidChannelConfigException naming what is wrong
     */
    public static ChannelConfig fromGenesisBlock(Block block) {
        Objects.requireNonNull(block, "block");
        if (!block.hasHeader()) {
            throw new InvalidChannelConfigException("genesis block has no header");
        }
        if (block.getHeader().getNumber() != 0) {
            throw new InvalidChannelConfigException("a genesis block has number 0, this one has "
                    + Long.toUnsignedString(block.getHeader().getNumber()));
        }
        if (!block.getHeader().getPreviousHash().isEmpty()) {
            throw new InvalidChannelConfigException("a genesis block has no previous hash");
        }
        return fromConfigBlock(block);
    }

    /**
     * Parses a config block (its data hash is checked, its signatures are not).
     *
     * @throws InvalidChannelConfigException naming what is wrong
     */
    public static ChannelConfig fromConfigBlock(Block block) {
        Objects.requireNonNull(block, "block");
        if (!block.hasHeader() || !block.hasData()) {
            throw new InvalidChannelConfigException("config block has no " + (block.hasHeader() ? "data" : "header"));
        }
        long number = block.getHeader().getNumber();
        if (!Arrays.equals(BlockHashes.dataHash(block.getData()), block.getHeader().getDataHash().toByteArray())) {
            throw new InvalidChannelConfigException("block " + number + ": Header.DataHash is different from "
                    + "Hash(block.Data)");
        }
        if (block.getData().getDataCount() != 1) {
            throw new InvalidChannelConfigException("block " + number + " holds " + block.getData().getDataCount()
                    + " envelopes; a config block holds exactly one");
        }
        try {
            return fromConfigEnvelope(Envelope.parseFrom(block.getData().getData(0)));
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidChannelConfigException("block " + number + ": could not unmarshal envelope: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parses a CONFIG envelope (the transaction of a config block).
     *
     * @throws InvalidChannelConfigException naming what is wrong
     */
    public static ChannelConfig fromConfigEnvelope(Envelope envelope) {
        try {
            Payload payload = Payload.parseFrom(envelope.getPayload());
            if (!payload.hasHeader()) {
                throw new InvalidChannelConfigException("config envelope payload has no header");
            }
            ChannelHeader header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (header.getType() != HeaderType.CONFIG_VALUE) {
                throw new InvalidChannelConfigException("not a config transaction: header type " + header.getType()
                        + ", expected CONFIG (" + HeaderType.CONFIG_VALUE + ")");
            }
            ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(payload.getData());
            if (!configEnvelope.hasConfig()) {
                throw new InvalidChannelConfigException("config envelope of channel " + header.getChannelId()
                        + " has no config");
            }
            return fromConfig(header.getChannelId(), configEnvelope.getConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidChannelConfigException("could not unmarshal config envelope: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a {@code Config} of the given channel.
     *
     * @throws InvalidChannelConfigException naming what is wrong
     */
    public static ChannelConfig fromConfig(String channelId, Config config) {
        Objects.requireNonNull(config, "config");
        try {
            ChannelProfile.checkChannelId(channelId);
        } catch (IllegalArgumentException e) {
            throw new InvalidChannelConfigException(e.getMessage(), e);
        }
        return new ChannelConfig(channelId, config);
    }

    public String channelId() {
        return channelId;
    }

    /** The configuration sequence (0 for a genesis configuration). */
    public long sequence() {
        return config.getSequence();
    }

    /** The configuration as carried on the wire. */
    public Config config() {
        return config;
    }

    /** {@code SHA256}. */
    public String hashingAlgorithm() {
        return hashingAlgorithm;
    }

    public List<String> ordererAddresses() {
        return ordererAddresses;
    }

    /** The consortium name, empty when the value is absent. */
    public String consortium() {
        return consortium;
    }

    public ChannelCapabilities channelCapabilities() {
        return channelCapabilities;
    }

    public ApplicationCapabilities applicationCapabilities() {
        return applicationCapabilities;
    }

    public OrdererCapabilities ordererCapabilities() {
        return ordererCapabilities;
    }

    /** The MSP version the channel capabilities ask for. */
    public MspVersion mspVersion() {
        return channelCapabilities.mspVersion();
    }

    public BatchSettings batchSettings() {
        return batchSettings;
    }

    /** The orderer's consensus type, e.g. {@code solo}. */
    public String consensusType() {
        return consensusType;
    }

    /** Application organisations, sorted by group name. */
    public List<OrganizationConfig> applicationOrganizations() {
        return applicationOrganizations;
    }

    /** Orderer organisations, sorted by group name. */
    public List<OrganizationConfig> ordererOrganizations() {
        return ordererOrganizations;
    }

    /** The MSP IDs of the application organisations, sorted (what {@code SignedByAnyMember} is built over). */
    public List<String> applicationMspIds() {
        return applicationOrganizations.stream().map(OrganizationConfig::mspId).distinct().sorted().toList();
    }

    /** The MSP IDs of the orderer organisations, sorted. */
    public List<String> ordererMspIds() {
        return ordererOrganizations.stream().map(OrganizationConfig::mspId).distinct().sorted().toList();
    }

    /** The channel's MSP manager: every organisation's MSP, shared identity cache. */
    public MspManager mspManager() {
        return mspManager;
    }

    /** The policy tree rooted at {@code Channel}. */
    public PolicyGroup policies() {
        return policies;
    }

    /** The policy at an absolute ({@code /Channel/...}) or relative path, if it exists. */
    public Optional<Policy> findPolicy(String path) {
        return policies.policy(path);
    }

    /** The policy at a path, or one that is never satisfied with Fabric's {@code No such policy: '<path>'}. */
    public Policy policy(String path) {
        return policies.policyOrReject(path);
    }

    /** Evaluates the policy at a path against a signature set. */
    public PolicyResult evaluate(String path, List<SignedData> signatureSet) {
        return policy(path).evaluate(signatureSet);
    }

    @Override
    public String toString() {
        return "ChannelConfig[" + channelId + ", sequence=" + sequence() + ", application="
                + applicationOrganizations.stream().map(OrganizationConfig::name).toList() + ", orderer="
                + ordererOrganizations.stream().map(OrganizationConfig::name).toList() + ", " + batchSettings + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private static List<OrganizationConfig> organizations(String channelId, ConfigGroup parent, String level,
            Map<String, Msp> msps) {
        List<OrganizationConfig> organizations = new ArrayList<>();
        for (Map.Entry<String, ConfigGroup> entry : new TreeMap<>(parent.getGroupsMap()).entrySet()) {
            String name = entry.getKey();
            MSPConfig mspProto = value(channelId, entry.getValue(), ConfigKeys.MSP, MSPConfig.parser(),
                    level + " organization " + name)
                    .orElseThrow(() -> invalid(channelId, level + " organization " + name + " has no MSP value"));
            MspConfig mspConfig;
            Msp msp;
            try {
                mspConfig = MspConfig.fromMspConfigProto(mspProto);
                Msp existing = msps.get(mspConfig.name());
                if (existing != null) {
                    if (!existing.config().toProto().equals(mspConfig.toProto())) {
                        throw invalid(channelId, "Attempted to define two different versions of MSP: "
                                + mspConfig.name());
                    }
                    msp = existing;
                } else {
                    msp = Msp.create(mspConfig);
                    msps.put(mspConfig.name(), msp);
                }
            } catch (IllegalArgumentException e) {
                throw invalid(channelId, "setting up the MSP of " + level + " organization " + name + ": "
                        + e.getMessage(), e);
            }
            organizations.add(new OrganizationConfig(name, mspConfig, msp));
        }
        return List.copyOf(organizations);
    }

    private static Capabilities capabilities(String channelId, ConfigGroup group, String where) {
        return value(channelId, group, ConfigKeys.CAPABILITIES, Capabilities.parser(), where)
                .orElse(Capabilities.getDefaultInstance());
    }

    private static ConfigGroup group(String channelId, ConfigGroup parent, String name) {
        ConfigGroup group = parent.getGroupsMap().get(name);
        if (group == null) {
            throw invalid(channelId, "channel configuration has no " + name + " group");
        }
        return group;
    }

    private static <T extends Message> Optional<T> value(String channelId, ConfigGroup group, String key,
            Parser<T> parser, String where) {
        ConfigValue value = group.getValuesMap().get(key);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parseFrom(value.getValue()));
        } catch (InvalidProtocolBufferException e) {
            throw invalid(channelId, "could not unmarshal " + where + " value " + key + ": " + e.getMessage(), e);
        }
    }

    private static InvalidChannelConfigException invalid(String channelId, String message) {
        return new InvalidChannelConfigException("channel " + channelId + ": " + message);
    }

    private static InvalidChannelConfigException invalid(String channelId, String message, Throwable cause) {
        return new InvalidChannelConfigException("channel " + channelId + ": " + message, cause);
    }

}
