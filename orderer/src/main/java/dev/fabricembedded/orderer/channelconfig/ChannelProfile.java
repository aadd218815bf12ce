package dev.fabricembedded.orderer.channelconfig;

import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.policy.ImplicitMetaPolicy;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigGroup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a channel is made of, as configtxgen's profile describes it: application organisations, orderer
 * organisations, the orderer's batch settings and consensus type, capabilities at each level and the policies of
 * each level. {@link #genesisBlock()} turns it into a real Fabric config block (block 0 of the channel), which
 * {@link ChannelConfig#fromGenesisBlock(Block)} reads back.
 *
 * <p>Defaults are Fabric 1.4's sample configtx.yaml, except the batch timeout ({@link BatchSettings#EMBEDDED_DEFAULT}):
 * <ul>
 *   <li>channel, application and orderer policies: {@code Readers = ANY Readers}, {@code Writers = ANY Writers},
 *   {@code Admins = MAJORITY Admins}, and {@code /Channel/Orderer/BlockValidation = ANY Writers};</li>
 *   <li>application organisations: with NodeOUs, {@code Readers = OR('X.admin','X.peer','X.client')},
 *   {@code Writers = OR('X.admin','X.client')}, {@code Admins = OR('X.admin')} (Fabric's first-network samples);
 *   without NodeOUs, {@code Readers = Writers = OR('X.member')}, {@code Admins = OR('X.admin')};</li>
 *   <li>orderer organisations: {@code Readers = Writers = OR('X.member')}, {@code Admins = OR('X.admin')};</li>
 *   <li>capabilities: channel {@code V1_4_3}, orderer {@code V1_4_2}, application {@code V1_4_2};</li>
 *   <li>consensus type {@code solo}, orderer address {@code orderer.example.com:7050}, consortium
 *   {@code SampleConsortium}.</li>
 * </ul>
 * Immutable; build with {@link #builder(String)} or load configtx.yaml-style YAML with {@link ChannelProfileYaml}.
 */
public final class ChannelProfile {

    /** Fabric's channel id rule ({@code configtx.ValidateChannelID}). */
    private static final Pattern CHANNEL_ID = Pattern.compile("[a-z][a-z0-9.-]*");
    private static final int MAX_CHANNEL_ID_LENGTH = 249;

    /** Fabric's sample orderer address. */
    public static final String DEFAULT_ORDERER_ADDRESS = "orderer.example.com:7050";
    /** Fabric's sample consortium. */
    public static final String DEFAULT_CONSORTIUM = "SampleConsortium";

    private final String channelId;
    private final String consortium;
    private final List<String> ordererAddresses;
    private final String consensusType;
    private final BatchSettings batchSettings;
    private final ChannelCapabilities channelCapabilities;
    private final ApplicationCapabilities applicationCapabilities;
    private final OrdererCapabilities ordererCapabilities;
    private final List<OrganizationProfile> applicationOrganizations;
    private final List<OrganizationProfile> ordererOrganizations;
    private final Map<String, PolicyDefinition> channelPolicies;
    private final Map<String, PolicyDefinition> applicationPolicies;
    private final Map<String, PolicyDefinition> ordererPolicies;

    private ChannelProfile(Builder b) {
        this.channelId = b.channelId;
        this.consortium = b.consortium;
        this.ordererAddresses = List.copyOf(b.ordererAddresses);
        this.consensusType = b.consensusType;
        this.batchSettings = b.batchSettings;
        this.channelCapabilities = b.channelCapabilities;
        this.applicationCapabilities = b.applicationCapabilities;
        this.ordererCapabilities = b.ordererCapabilities;
        List<OrganizationProfile> apps = new ArrayList<>();
        for (OrganizationProfile org : b.applicationOrganizations) {
            apps.add(org.withDefaults(applicationOrgDefaults(org.mspConfig())));
        }
        List<OrganizationProfile> orderers = new ArrayList<>();
        for (OrganizationProfile org : b.ordererOrganizations) {
            orderers.add(org.withDefaults(ordererOrgDefaults(org.mspId())));
        }
        this.applicationOrganizations = List.copyOf(apps);
        this.ordererOrganizations = List.copyOf(orderers);
        this.channelPolicies = Collections.unmodifiableMap(new LinkedHashMap<>(b.channelPolicies));
        this.applicationPolicies = Collections.unmodifiableMap(new LinkedHashMap<>(b.applicationPolicies));
        this.ordererPolicies = Collections.unmodifiableMap(new LinkedHashMap<>(b.ordererPolicies));
    }

    /** A builder for a channel with this id. */
    public static Builder builder(String channelId) {
        return new Builder(channelId);
    }

    /**
     * Checks a channel id with Fabric's rule: 1 to 249 characters, {@code [a-z][a-z0-9.-]*}.
     *
     * @throws IllegalArgumentException with Fabric's texts ({@code channel ID illegal, cannot be empty},
     *                                  {@code channel ID 'X' contains illegal characters}, ...)
     */
    public static void checkChannelId(String channelId) {
        Objects.requireNonNull(channelId, "channelId");
        if (channelId.isEmpty()) {
            throw new IllegalArgumentException("channel ID illegal, cannot be empty");
        }
        if (channelId.length() > MAX_CHANNEL_ID_LENGTH) {
            throw new IllegalArgumentException("channel ID illegal, cannot be longer than " + MAX_CHANNEL_ID_LENGTH);
        }
        if (!CHANNEL_ID.matcher(channelId).matches()) {
            throw new IllegalArgumentException("channel ID '" + channelId + "' contains illegal characters");
        }
    }

    /** Fabric's sample policies of an application organisation (see the class comment). */
    public static Map<String, PolicyDefinition> applicationOrgDefaults(MspConfig msp) {
        String id = msp.name();
        Map<String, PolicyDefinition> defaults = new LinkedHashMap<>();
        if (msp.nodeOUs().enabled()) {
            defaults.put(ConfigKeys.READERS, PolicyDefinition.signature(
                    "OR('" + id + ".admin', '" + id + ".peer', '" + id + ".client')"));
            defaults.put(ConfigKeys.WRITERS, PolicyDefinition.signature(
                    "OR('" + id + ".admin', '" + id + ".client')"));
        } else {
            defaults.put(ConfigKeys.READERS, PolicyDefinition.signature("OR('" + id + ".member')"));
            defaults.put(ConfigKeys.WRITERS, PolicyDefinition.signature("OR('" + id + ".member')"));
        }
        defaults.put(ConfigKeys.ADMINS, PolicyDefinition.signature("OR('" + id + ".admin')"));
        return defaults;
    }

    /** Fabric's sample policies of an orderer organisation (see the class comment). */
    public static Map<String, PolicyDefinition> ordererOrgDefaults(String mspId) {
        Map<String, PolicyDefinition> defaults = new LinkedHashMap<>();
        defaults.put(ConfigKeys.READERS, PolicyDefinition.signature("OR('" + mspId + ".member')"));
        defaults.put(ConfigKeys.WRITERS, PolicyDefinition.signature("OR('" + mspId + ".member')"));
        defaults.put(ConfigKeys.ADMINS, PolicyDefinition.signature("OR('" + mspId + ".admin')"));
        return defaults;
    }

    /** Fabric's sample ImplicitMeta policies of a level: ANY Readers, ANY Writers, MAJORITY Admins. */
    private static Map<String, PolicyDefinition> levelDefaults() {
        Map<String, PolicyDefinition> defaults = new LinkedHashMap<>();
        defaults.put(ConfigKeys.READERS, PolicyDefinition.implicitMeta(ImplicitMetaPolicy.Rule.ANY, ConfigKeys.READERS));
        defaults.put(ConfigKeys.WRITERS, PolicyDefinition.implicitMeta(ImplicitMetaPolicy.Rule.ANY, ConfigKeys.WRITERS));
        defaults.put(ConfigKeys.ADMINS,
                PolicyDefinition.implicitMeta(ImplicitMetaPolicy.Rule.MAJORITY, ConfigKeys.ADMINS));
        return defaults;
    }

    public String channelId() {
        return channelId;
    }

    /** The consortium name, empty for none. */
    public String consortium() {
        return consortium;
    }

    public List<String> ordererAddresses() {
        return ordererAddresses;
    }

    public String consensusType() {
        return consensusType;
    }

    public BatchSettings batchSettings() {
        return batchSettings;
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

    /** Application organisations with their effective policies (defaults filled in), in the order added. */
    public List<OrganizationProfile> applicationOrganizations() {
        return applicationOrganizations;
    }

    /** Orderer organisations with their effective policies, in the order added. */
    public List<OrganizationProfile> ordererOrganizations() {
        return ordererOrganizations;
    }

    /** The policies of the channel group ({@code /Channel/<name>}). */
    public Map<String, PolicyDefinition> channelPolicies() {
        return channelPolicies;
    }

    /** The policies of the application group ({@code /Channel/Application/<name>}). */
    public Map<String, PolicyDefinition> applicationPolicies() {
        return applicationPolicies;
    }

    /** The policies of the orderer group ({@code /Channel/Orderer/<name>}). */
    public Map<String, PolicyDefinition> ordererPolicies() {
        return ordererPolicies;
    }

    /** The channel configuration tree ({@code Config.channel_group}) with configtxgen's keys and mod_policies. */
    public ConfigGroup channelGroup() {
        return ChannelGroupEncoder.encode(this);
    }

    /** A new genesis block for this channel (fresh nonce and timestamp each call). */
    public Block genesisBlock() {
        return GenesisBlockFactory.create(channelId, channelGroup());
    }

    @Override
    public String toString() {
        return "ChannelProfile[" + channelId + ", application=" + applicationOrganizations.stream()
                .map(OrganizationProfile::name).toList() + ", orderer=" + ordererOrganizations.stream()
                .map(OrganizationProfile::name).toList() + ", " + batchSettings + "]";
    }

    /** Builder for {@link ChannelProfile}, with the defaults described on the class. */
    public static final class Builder {
        private final String channelId;
        private String consortium = DEFAULT_CONSORTIUM;
        private final List<String> ordererAddresses = new ArrayList<>(List.of(DEFAULT_ORDERER_ADDRESS));
        private String consensusType = ConfigKeys.SOLO;
        private BatchSettings batchSettings = BatchSettings.EMBEDDED_DEFAULT;
        private ChannelCapabilities channelCapabilities = ChannelCapabilities.DEFAULT;
        private ApplicationCapabilities applicationCapabilities = ApplicationCapabilities.DEFAULT;
        private OrdererCapabilities ordererCapabilities = OrdererCapabilities.DEFAULT;
        private final List<OrganizationProfile> applicationOrganizations = new ArrayList<>();
        private final List<OrganizationProfile> ordererOrganizations = new ArrayList<>();
        private final Map<String, PolicyDefinition> channelPolicies = levelDefaults();
        private final Map<String, PolicyDefinition> applicationPolicies = levelDefaults();
        private final Map<String, PolicyDefinition> ordererPolicies = levelDefaults();

        private Builder(String channelId) {
            checkChannelId(channelId);
            this.channelId = channelId;
            ordererPolicies.put(ConfigKeys.BLOCK_VALIDATION,
                    PolicyDefinition.implicitMeta(ImplicitMetaPolicy.Rule.ANY, ConfigKeys.WRITERS));
        }

        /** Adds an application organisation named after its MSP ID, with the default policies. */
        public Builder applicationOrganization(MspConfig mspConfig) {
            return applicationOrganization(OrganizationProfile.of(mspConfig));
        }

        /** Adds an application organisation; undeclared Readers/Writers/Admins get the defaults. */
        public Builder applicationOrganization(OrganizationProfile organization) {
            applicationOrganizations.add(Objects.requireNonNull(organization, "organization"));
            return this;
        }

        /** Adds an orderer organisation named after its MSP ID, with the default policies. */
        public Builder ordererOrganization(MspConfig mspConfig) {
            return ordererOrganization(OrganizationProfile.of(mspConfig));
        }

        /** Adds an orderer organisation; undeclared Readers/Writers/Admins get the defaults. */
        public Builder ordererOrganization(OrganizationProfile organization) {
            ordererOrganizations.add(Objects.requireNonNull(organization, "organization"));
            return this;
        }

        /** The consortium the channel belongs to; empty for none (the value is then omitted). */
        public Builder consortium(String consortium) {
            this.consortium = Objects.requireNonNull(consortium, "consortium");
            return this;
        }

        /** The orderer addresses ({@code host:port}); none omits the value. */
        public Builder ordererAddresses(List<String> addresses) {
            ordererAddresses.clear();
            for (String address : addresses) {
                ordererAddresses.add(Objects.requireNonNull(address, "address"));
            }
            return this;
        }

        /** The consensus type; {@code solo} by default (the only one {@code SoloOrderer} accepts). */
        public Builder consensusType(String type) {
            this.consensusType = Objects.requireNonNull(type, "type");
            return this;
        }

        public Builder batchSettings(BatchSettings settings) {
            this.batchSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder channelCapabilities(ChannelCapabilities capabilities) {
            this.channelCapabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        public Builder applicationCapabilities(ApplicationCapabilities capabilities) {
            this.applicationCapabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        public Builder ordererCapabilities(OrdererCapabilities capabilities) {
            this.ordererCapabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        /** Sets (or replaces) a policy of the channel group. */
        public Builder channelPolicy(String name, PolicyDefinition policy) {
            return put(channelPolicies, name, policy);
        }

        /** Sets (or replaces) a policy of the application group. */
        public Builder applicationPolicy(String name, PolicyDefinition policy) {
            return put(applicationPolicies, name, policy);
        }

        /** Sets (or replaces) a policy of the orderer group, e.g. {@code BlockValidation}. */
        public Builder ordererPolicy(String name, PolicyDefinition policy) {
            return put(ordererPolicies, name, policy);
        }

        private Builder put(Map<String, PolicyDefinition> policies, String name, PolicyDefinition policy) {
            OrganizationProfile.checkConfigName("policy name", name);
            policies.put(name, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Builds the profile.
         *
         * @throws IllegalArgumentException when there is no application or no orderer organisation (block
         *                                  validation and transaction policies would be vacuous), an organisation
         *                                  name or MSP ID is used twice with different definitions, or a
         *                                  capability is not supported
         */
        public ChannelProfile build() {
            if (applicationOrganizations.isEmpty()) {
                throw new IllegalArgumentException("channel " + channelId + ": a profile needs at least one "
                        + "application organization");
            }
            if (ordererOrganizations.isEmpty()) {
                throw new IllegalArgumentException("channel " + channelId + ": a profile needs at least one "
                        + "orderer organization (its members sign the blocks)");
            }
            checkUnique("application", applicationOrganizations);
            checkUnique("orderer", ordererOrganizations);
            Map<String, MspConfig> msps = new LinkedHashMap<>();
            for (List<OrganizationProfile> orgs : List.of(applicationOrganizations, ordererOrganizations)) {
                for (OrganizationProfile org : orgs) {
                    MspConfig previous = msps.putIfAbsent(org.mspId(), org.mspConfig());
                    if (previous != null && !previous.toProto().equals(org.mspConfig().toProto())) {
                        throw new IllegalArgumentException("Attempted to define two different versions of MSP: "
                                + org.mspId());
                    }
                }
            }
            for (CapabilitySet capabilities : List.of(channelCapabilities, applicationCapabilities,
                    ordererCapabilities)) {
                capabilities.unsupported().ifPresent(message -> {
                    throw new IllegalArgumentException(message);
                });
            }
            return new ChannelProfile(this);
        }

        private void checkUnique(String level, List<OrganizationProfile> orgs) {
            Set<String> names = new HashSet<>();
            for (OrganizationProfile org : orgs) {
                if (!names.add(org.name())) {
                    throw new IllegalArgumentException("channel " + channelId + ": " + level + " organization "
                            + org.name() + " is defined twice");
                }
            }
        }
    }
}
