package dev.fabricembedded.orderer.channelconfig;

import dev.fabricembedded.msp.MspConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One organisation of a channel profile (configtx.yaml's {@code Organizations} entry): the name of its
 * configuration group, its MSP definition and the policies it declares.
 *
 * <p>Policies not declared here get the defaults of the level the organisation is added at
 * ({@link ChannelProfile.Builder#applicationOrganization(OrganizationProfile)},
 * {@link ChannelProfile.Builder#ordererOrganization(OrganizationProfile)}). Immutable.
 */
public final class OrganizationProfile {

    /** Fabric's rule for configuration group names ({@code configtx.validateConfigID}). */
    private static final Pattern CONFIG_ID = Pattern.compile("[a-zA-Z0-9.-]+");
    private static final int MAX_CONFIG_ID_LENGTH = 249;

    private final String name;
    private final MspConfig mspConfig;
    private final Map<String, PolicyDefinition> policies;

    private OrganizationProfile(String name, MspConfig mspConfig, Map<String, PolicyDefinition> policies) {
        this.name = name;
        this.mspConfig = mspConfig;
        this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    }

    /** An organisation named after its MSP ID, with the default policies of the level it is added at. */
    public static OrganizationProfile of(MspConfig mspConfig) {
        return builder(mspConfig).build();
    }

    /** A builder for an organisation with this MSP definition (name defaults to the MSP ID). */
    public static Builder builder(MspConfig mspConfig) {
        return new Builder(mspConfig);
    }

    /** The configuration group name, e.g. {@code Org1MSP}: the {@code <org>} of {@code /Channel/Application/<org>/Admins}. */
    public String name() {
        return name;
    }

    /** The MSP ID. */
    public String mspId() {
        return mspConfig.name();
    }

    public MspConfig mspConfig() {
        return mspConfig;
    }

    /** The declared policies, in declaration order. */
    public Map<String, PolicyDefinition> policies() {
        return policies;
    }

    /** This organisation with {@code defaults} added for every policy it does not declare. */
    OrganizationProfile withDefaults(Map<String, PolicyDefinition> defaults) {
        Map<String, PolicyDefinition> merged = new LinkedHashMap<>(defaults);
        merged.putAll(policies);
        return new OrganizationProfile(name, mspConfig, merged);
    }

    static void checkConfigName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty() || name.length() > MAX_CONFIG_ID_LENGTH || name.equals(".") || name.equals("..")
                || !CONFIG_ID.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a valid configuration name ("
                    + "1-" + MAX_CONFIG_ID_LENGTH + " of [a-zA-Z0-9.-], not '.' or '..')");
        }
    }

    @Override
    public String toString() {
        return "OrganizationProfile[" + name + ", msp=" + mspId() + ", policies=" + policies.keySet() + "]";
    }

    /** Builder for {@link OrganizationProfile}. */
    public static final class Builder {
        private final MspConfig mspConfig;
        private String name;
        private final Map<String, PolicyDefinition> policies = new LinkedHashMap<>();

        private Builder(MspConfig mspConfig) {
            this.mspConfig = Objects.requireNonNull(mspConfig, "mspConfig");
            this.name = mspConfig.name();
        }

        /** The configuration group name (configtx.yaml's {@code Name}); defaults to the MSP ID. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Declares a policy, e.g. {@code policy("Writers", PolicyDefinition.signature("OR('Org1MSP.member')"))}. */
        public Builder policy(String policyName, PolicyDefinition policy) {
            checkConfigName("policy name", policyName);
            policies.put(policyName, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Builds the profile.
         *
         * @throws IllegalArgumentException when the name is not a valid configuration name
         */
        public OrganizationProfile build() {
            checkConfigName("organization name", name);
            return new OrganizationProfile(name, mspConfig, policies);
        }
    }
}
