package dev.fabricembedded.msp.policy;

import java.util.List;
import java.util.Objects;

/**
 * A channel-configuration policy defined over the same-named policies of the child groups (Fabric's
 * {@code implicitMetaPolicy}): {@code ANY Writers} of the application group is satisfied when at least one
 * organisation's {@code Writers} is.
 *
 * <p>Thresholds: ANY = 1, ALL = every sub-policy, MAJORITY = {@code n/2 + 1}; with no sub-policies the threshold is
 * 0, so the policy passes (Fabric's rule). Sub-policies are evaluated in order and evaluation stops as soon as the
 * threshold is met. Failure text: {@code implicit policy evaluation failed - x sub-policies were satisfied, but this
 * policy requires y of the '<name>' sub-policies to be satisfied}. Immutable and thread-safe.
 */
public final class ImplicitMetaPolicy implements Policy {

    /** How many sub-policies must be satisfied. */
    public enum Rule {
        /** At least one. */
        ANY,
        /** All of them. */
        ALL,
        /** More than half. */
        MAJORITY;

        /** The rule of a configuration {@code ImplicitMetaPolicy}. */
        public static Rule fromProto(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule rule) {
            return switch (rule) {
                case ANY -> ANY;
                case ALL -> ALL;
                case MAJORITY -> MAJORITY;
                default -> throw new InvalidPolicyException("unknown ImplicitMetaPolicy rule " + rule);
            };
        }
    }

    private final String subPolicyName;
    private final Rule rule;
    private final List<Policy> subPolicies;
    private final int threshold;

    /**
     * An ImplicitMeta policy over the given sub-policies.
     *
     * @param subPolicyName the name looked up in each child group, e.g. {@code Writers}
     * @param rule          the threshold rule
     * @param subPolicies   the children's policies (a missing one should be a policy that is never satisfied)
     */
    public ImplicitMetaPolicy(String subPolicyName, Rule rule, List<? extends Policy> subPolicies) {
        this.subPolicyName = Objects.requireNonNull(subPolicyName, "subPolicyName");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.subPolicies = List.copyOf(subPolicies);
        int n = this.subPolicies.size();
        this.threshold = n == 0 ? 0 : switch (rule) {
            case ANY -> 1;
            case ALL -> n;
            case MAJORITY -> n / 2 + 1;
        };
    }

    public String subPolicyName() {
        return subPolicyName;
    }

    public Rule rule() {
        return rule;
    }

    /** How many sub-policies must be satisfied. */
    public int threshold() {
        return threshold;
    }

    @Override
    public PolicyResult evaluate(List<SignedData> signatureSet) {
        int remaining = threshold;
        if (remaining == 0) {
            return PolicyResult.satisfied();
        }
        for (Policy policy : subPolicies) {
            if (policy.evaluate(signatureSet).isSatisfied()) {
                remaining--;
                if (remaining == 0) {
                    return PolicyResult.satisfied();
                }
            }
        }
        return PolicyResult.failure(PolicyResult.Code.IMPLICIT_META_NOT_SATISFIED,
                "implicit policy evaluation failed - " + (threshold - remaining) + " sub-policies were satisfied, but "
                        + "this policy requires " + threshold + " of the '" + subPolicyName
                        + "' sub-policies to be satisfied");
    }

    @Override
    public String toString() {
        return "ImplicitMetaPolicy[" + rule + " " + subPolicyName + ", " + subPolicies.size() + " sub-policies]";
    }
}
