package dev.fabricembedded.msp.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.IdentityDeserializer;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigPolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A named group of policies with child groups, mirroring a channel configuration tree (Fabric's
 * {@code policies.ManagerImpl}): {@code Channel} holds {@code Readers/Writers/Admins} and the groups
 * {@code Application} and {@code Orderer}; {@code Application} holds ImplicitMeta policies over its organisation
 * groups, whose {@code Readers/Writers/Admins} are signature policies.
 *
 * <p>Policies are looked up by path, relative ({@code Application/Writers}) or absolute
 * ({@code /Channel/Application/Writers}, which must start with this group's name). ImplicitMeta policies are
 * resolved when the group is built, from the children's same-named policies; a child lacking it contributes a
 * policy that is never satisfied, as in Fabric. Immutable and thread-safe.
 */
public final class PolicyGroup {

    /** Path separator in policy names. */
    public static final String SEPARATOR = "/";

    private final String name;
    private final Map<String, Policy> policies;
    private final Map<String, PolicyGroup> groups;

    private PolicyGroup(String name, Map<String, Policy> policies, Map<String, PolicyGroup> groups) {
        this.name = name;
        this.policies = Collections.unmodifiableMap(policies);
        this.groups = Collections.unmodifiableMap(groups);
    }

    /** A builder for a group with the given name (e.g. {@code Channel}, {@code Application}, {@code Org1MSP}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Builds the policy tree of a channel configuration group: {@code SIGNATURE} policies are compiled against the
     * deserializer, {@code IMPLICIT_META} policies resolved against the child groups (visited in name order).
     *
     * @throws InvalidPolicyException {@code policy <name> at path <path> did not compile: ...} or
     *                                {@code Unknown policy type: <type>}
     */
    public static PolicyGroup fromConfigGroup(String name, ConfigGroup group, IdentityDeserializer deserializer) {
        return fromConfigGroup(name, name, group, deserializer);
    }

    private static PolicyGroup fromConfigGroup(String name, String path, ConfigGroup group,
            IdentityDeserializer deserializer) {
        Builder builder = builder(name);
        for (Map.Entry<String, ConfigGroup> child : new TreeMap<>(group.getGroupsMap()).entrySet()) {
            builder.group(fromConfigGroup(child.getKey(), path + SEPARATOR + child.getKey(), child.getValue(),
                    deserializer));
        }
        for (Map.Entry<String, ConfigPolicy> entry : new TreeMap<>(group.getPoliciesMap()).entrySet()) {
            var policy = entry.getValue().getPolicy();
            try {
                switch (policy.getType()) {
                    case org.hyperledger.fabric.protos.common.Policy.PolicyType.SIGNATURE_VALUE ->
                            builder.signaturePolicy(entry.getKey(), SignaturePolicyEnvelope.parseFrom(policy.getValue()),
                                    deserializer);
                    case org.hyperledger.fabric.protos.common.Policy.PolicyType.IMPLICIT_META_VALUE -> {
                        var definition = org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.parseFrom(
                                policy.getValue());
                        builder.implicitMeta(entry.getKey(), ImplicitMetaPolicy.Rule.fromProto(definition.getRule()),
                                definition.getSubPolicy());
                    }
                    default -> throw new InvalidPolicyException("Unknown policy type: " + policy.getType());
                }
            } catch (InvalidProtocolBufferException | InvalidPolicyException e) {
                throw new InvalidPolicyException("policy " + entry.getKey() + " at path " + path + " did not compile: "
                        + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    public String name() {
        return name;
    }

    /** This group's own policies by name. */
    public Map<String, Policy> policies() {
        return policies;
    }

    /** Child groups by name. */
    public Map<String, PolicyGroup> groups() {
        return groups;
    }

    /** The policy at a relative or absolute path, if it exists. */
    public Optional<Policy> policy(String path) {
        Objects.requireNonNull(path, "path");
        String relative = path;
        if (path.startsWith(SEPARATOR)) {
            String prefix = SEPARATOR + name + SEPARATOR;
            if (!path.startsWith(prefix)) {
                return Optional.empty();
            }
            relative = path.substring(prefix.length());
        }
        if (relative.isEmpty()) {
            return Optional.empty();
        }
        String[] segments = relative.split(SEPARATOR, -1);
        PolicyGroup group = this;
        for (int i = 0; i < segments.length - 1; i++) {
            group = group.groups.get(segments[i]);
            if (group == null) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(group.policies.get(segments[segments.length - 1]));
    }

    /**
     * The policy at a path, or a policy that is never satisfied with Fabric's {@code No such policy: '<path>'}
     * (Fabric's {@code GetPolicy} returns such a reject policy).
     */
    public Policy policyOrReject(String path) {
        return policy(path).orElseGet(() -> {
            // Fabric names the relative path when an absolute one was under this group, else the path as given
            String prefix = SEPARATOR + name + SEPARATOR;
            return reject(path.startsWith(prefix) ? path.substring(prefix.length()) : path);
        });
    }

    static Policy reject(String path) {
        PolicyResult result = PolicyResult.failure(PolicyResult.Code.NO_SUCH_POLICY, "No such policy: '" + path + "'");
        return signatureSet -> result;
    }

    @Override
    public String toString() {
        return "PolicyGroup[" + name + ", policies=" + policies.keySet() + ", groups=" + groups.keySet() + "]";
    }

    /** Builder for {@link PolicyGroup}. Add child groups before the ImplicitMeta policies that refer to them. */
    public static final class Builder {
        private final String name;
        private final Map<String, Policy> policies = new LinkedHashMap<>();
        private final Map<String, PolicyGroup> groups = new LinkedHashMap<>();
        private final Map<String, ImplicitMetaDefinition> implicitMeta = new LinkedHashMap<>();

        private record ImplicitMetaDefinition(ImplicitMetaPolicy.Rule rule, String subPolicy) {
        }

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (name.isEmpty() || name.contains(SEPARATOR)) {
                throw new IllegalArgumentException("invalid policy group name '" + name + "'");
            }
        }

        /** Adds a policy under a name. */
        public Builder policy(String policyName, Policy policy) {
            checkName(policyName);
            policies.put(policyName, Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Adds a signature policy compiled against the deserializer. */
        public Builder signaturePolicy(String policyName, SignaturePolicyEnvelope envelope,
                IdentityDeserializer deserializer) {
            return policy(policyName, CompiledSignaturePolicy.compile(envelope, deserializer));
        }

        /** Adds an ImplicitMeta policy over the child groups' {@code subPolicy}, resolved at {@link #build()}. */
        public Builder implicitMeta(String policyName, ImplicitMetaPolicy.Rule rule, String subPolicy) {
            checkName(policyName);
            implicitMeta.put(policyName, new ImplicitMetaDefinition(Objects.requireNonNull(rule, "rule"),
                    Objects.requireNonNull(subPolicy, "subPolicy")));
            return this;
        }

        /** Adds a child group. */
        public Builder group(PolicyGroup group) {
            Objects.requireNonNull(group, "group");
            if (groups.putIfAbsent(group.name(), group) != null) {
                throw new IllegalArgumentException("duplicate policy group " + group.name());
            }
            return this;
        }

        public PolicyGroup build() {
            Map<String, Policy> all = new LinkedHashMap<>(policies);
            implicitMeta.forEach((policyName, definition) -> {
                List<Policy> subPolicies = new ArrayList<>(groups.size());
                for (PolicyGroup child : groups.values()) {
                    subPolicies.add(child.policyOrReject(definition.subPolicy()));
                }
                all.put(policyName, new ImplicitMetaPolicy(definition.subPolicy(), definition.rule(), subPolicies));
            });
            return new PolicyGroup(name, all, new LinkedHashMap<>(groups));
        }

        private void checkName(String policyName) {
            Objects.requireNonNull(policyName, "policyName");
            if (policyName.isEmpty() || policyName.contains(SEPARATOR)) {
                throw new IllegalArgumentException("invalid policy name '" + policyName + "'");
            }
            if (policies.containsKey(policyName) || implicitMeta.containsKey(policyName)) {
                throw new IllegalArgumentException("duplicate policy " + policyName + " in group " + name);
            }
        }
    }
}
