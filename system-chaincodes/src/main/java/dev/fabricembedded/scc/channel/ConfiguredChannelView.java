package dev.fabricembedded.scc.channel;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.Policy;
import dev.fabricembedded.msp.policy.PolicyGroup;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link ChannelView} over a channel's policy tree: ACL resources resolve to policy paths through Fabric's default
 * map ({@link AclResources#DEFAULT_POLICIES}), overridable per resource the way a V1_2+ channel's {@code ACLs}
 * configuration value does. Error texts are Fabric's: for a default mapping
 * {@code Failed evaluating policy on signed data during check policy on channel [<ch>] with policy [<path>]: [<err>]},
 * for an override {@code failed evaluating policy on signed data during check policy [<path>]: [<err>]}, and for an
 * unknown resource {@code Unmapped policy for <resource>}. Endorsement policies are compiled once per view and policy
 * bytes ({@link #endorsementPolicy}). Immutable (but for that cache) and thread-safe.
 */
public final class ConfiguredChannelView implements ChannelView {

    private final String channelId;
    private final List<String> applicationOrgs;
    private final IdentityDeserializer deserializer;
    private final ChannelCapabilities capabilities;
    private final PolicyGroup policies;
    private final Map<String, String> aclOverrides;
    private final CompiledPolicies endorsementPolicies;

    private ConfiguredChannelView(Builder b) {
        this.channelId = b.channelId;
        this.applicationOrgs = List.copyOf(b.applicationOrgs);
        this.deserializer = Objects.requireNonNull(b.deserializer, "deserializer");
        this.capabilities = b.capabilities;
        this.policies = Objects.requireNonNull(b.policies, "policies");
        this.aclOverrides = Map.copyOf(b.aclOverrides);
        this.endorsementPolicies = new CompiledPolicies(deserializer);
    }

    /** A builder for the view of {@code channelId}. */
    public static Builder builder(String channelId) {
        return new Builder(channelId);
    }

    @Override
    public String channelId() {
        return channelId;
    }

    @Override
    public List<String> applicationOrgs() {
        return applicationOrgs;
    }

    @Override
    public IdentityDeserializer deserializer() {
        return deserializer;
    }

    /** Compiled once per policy bytes for this view (see {@link CompiledPolicies}). */
    @Override
    public CompiledSignaturePolicy endorsementPolicy(ByteString policyBytes) {
        return endorsementPolicies.get(policyBytes);
    }

    @Override
    public ChannelCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public PolicyResult checkAcl(String resource, List<SignedData> signedData) {
        String override = aclOverrides.get(resource);
        if (override != null) {
            PolicyResult result = policies.policyOrReject(override).evaluate(signedData);
            return result.isSatisfied() ? result : PolicyResult.failure(result.code(),
                    "failed evaluating policy on signed data during check policy [" + override + "]: ["
                            + result.message() + "]");
        }
        String path = AclResources.DEFAULT_POLICIES.get(resource);
        if (path == null) {
            return PolicyResult.failure(PolicyResult.Code.NO_SUCH_POLICY, "Unmapped policy for " + resource);
        }
        Policy policy = policies.policyOrReject(path);
        PolicyResult result = policy.evaluate(signedData);
        return result.isSatisfied() ? result : PolicyResult.failure(result.code(),
                "Failed evaluating policy on signed data during check policy on channel [" + channelId
                        + "] with policy [" + path + "]: [" + result.message() + "]");
    }

    /** The policy tree this view evaluates ACLs against. */
    public PolicyGroup policies() {
        return policies;
    }

    /** The policy path of an overridden ACL resource. */
    public Optional<String> aclOverride(String resource) {
        return Optional.ofNullable(aclOverrides.get(resource));
    }

    @Override
    public String toString() {
        return "ConfiguredChannelView{" + channelId + ", orgs=" + applicationOrgs + ", " + capabilities + "}";
    }

    /**
     * Builder for {@link ConfiguredChannelView}. Required: the deserializer and the policy tree (a {@code Channel}
     * group, so that {@code /Channel/Application/Readers} resolves). Defaults: no application orgs, capabilities
     * {@link ChannelCapabilities#v1_3()}, no ACL overrides.
     */
    public static final class Builder {
        private final String channelId;
        private List<String> applicationOrgs = List.of();
        private IdentityDeserializer deserializer;
        private ChannelCapabilities capabilities = ChannelCapabilities.v1_3();
        private PolicyGroup policies;
        private final Map<String, String> aclOverrides = new HashMap<>();

        private Builder(String channelId) {
            if (Objects.requireNonNull(channelId, "channelId").isEmpty()) {
                throw new IllegalArgumentException("channel id must not be empty");
            }
            this.channelId = channelId;
        }

        /** The MSP IDs of the application organisations. */
        public Builder applicationOrgs(List<String> mspIds) {
            this.applicationOrgs = List.copyOf(mspIds);
            return this;
        }

        /** The channel's identity deserializer (its MSP manager). */
        public Builder deserializer(IdentityDeserializer deserializer) {
            this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
            return this;
        }

        /** The channel's application capabilities. */
        public Builder capabilities(ChannelCapabilities capabilities) {
            this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
            return this;
        }

        /** The channel's policy tree (root group {@code Channel}). */
        public Builder policies(PolicyGroup policies) {
            this.policies = Objects.requireNonNull(policies, "policies");
            return this;
        }

        /** Maps an ACL resource to a policy path, as the channel configuration's {@code ACLs} value does. */
        public Builder aclOverride(String resource, String policyPath) {
            aclOverrides.put(Objects.requireNonNull(resource, "resource"), Objects.requireNonNull(policyPath));
            return this;
        }

        public ConfiguredChannelView build() {
            return new ConfiguredChannelView(this);
        }
    }
}
