package dev.fabricembedded.orderer.channelconfig;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.ImplicitMetaPolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.Objects;

/**
 * A policy as a channel configuration declares it (configtx.yaml's {@code Type: Signature | ImplicitMeta} with its
 * {@code Rule}): either a signature policy envelope or an ImplicitMeta rule over the child groups' same-named
 * policies. {@link #toProto()} gives the {@code common.Policy} stored in the configuration (type SIGNATURE = 1 or
 * IMPLICIT_META = 3). Immutable.
 */
public sealed interface PolicyDefinition {

    /** The {@code common.Policy} of a configuration. */
    Policy toProto();

    /** A signature policy, e.g. {@code OR('Org1MSP.admin')}. */
    record Signature(SignaturePolicyEnvelope envelope) implements PolicyDefinition {
        public Signature {
            Objects.requireNonNull(envelope, "envelope");
        }

        @Override
        public Policy toProto() {
            return Policy.newBuilder().setType(Policy.PolicyType.SIGNATURE_VALUE).setValue(envelope.toByteString())
                    .build();
        }
    }

    /** An ImplicitMeta policy, e.g. {@code MAJORITY Admins}. */
    record ImplicitMeta(ImplicitMetaPolicy.Rule rule, String subPolicy) implements PolicyDefinition {
        public ImplicitMeta {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(subPolicy, "subPolicy");
            if (subPolicy.isEmpty()) {
                throw new IllegalArgumentException("ImplicitMeta sub-policy name must not be empty");
            }
        }

        @Override
        public Policy toProto() {
            var rule = switch (this.rule) {
                case ANY -> org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.ANY;
                case ALL -> org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.ALL;
                case MAJORITY -> org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.MAJORITY;
            };
            return Policy.newBuilder().setType(Policy.PolicyType.IMPLICIT_META_VALUE)
                    .setValue(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.newBuilder()
                            .setRule(rule).setSubPolicy(subPolicy).build().toByteString())
                    .build();
        }

        @Override
        public String toString() {
            return rule + " " + subPolicy;
        }
    }

    /**
     * A signature policy from the DSL.
     *
     * @throws dev.fabricembedded.msp.policy.InvalidPolicyException with Fabric's parser message
     */
    static PolicyDefinition signature(String dsl) {
        return new Signature(PolicyDsl.parse(dsl));
    }

    /** A signature policy from its envelope. */
    static PolicyDefinition signature(SignaturePolicyEnvelope envelope) {
        return new Signature(envelope);
    }

    /** An ImplicitMeta policy. */
    static PolicyDefinition implicitMeta(ImplicitMetaPolicy.Rule rule, String subPolicy) {
        return new ImplicitMeta(rule, subPolicy);
    }

    /**
     * An ImplicitMeta policy from configtx.yaml's text, e.g. {@code "ANY Readers"}.
     *
     * @throws IllegalArgumentException with configtxgen's texts: {@code expected two space separated tokens, but
     *                                  got n} or {@code unknown rule type 'X', expected ALL, ANY, or MAJORITY}
     */
    static PolicyDefinition implicitMeta(String text) {
        String[] args = text.split(" ", -1);
        if (args.length != 2) {
            throw new IllegalArgumentException("expected two space separated tokens, but got " + args.length);
        }
        ImplicitMetaPolicy.Rule rule = switch (args[0]) {
            case "ANY" -> ImplicitMetaPolicy.Rule.ANY;
            case "ALL" -> ImplicitMetaPolicy.Rule.ALL;
            case "MAJORITY" -> ImplicitMetaPolicy.Rule.MAJORITY;
            default -> throw new IllegalArgumentException("unknown rule type '" + args[0]
                    + "', expected ALL, ANY, or MAJORITY");
        };
        return new ImplicitMeta(rule, args[1]);
    }

    /**
     * Reads a configuration policy.
     *
     * @throws IllegalArgumentException for a policy type other than SIGNATURE and IMPLICIT_META or bytes that do not
     *                                  parse
     */
    static PolicyDefinition fromProto(Policy policy) {
        try {
            return switch (policy.getType()) {
                case Policy.PolicyType.SIGNATURE_VALUE -> new Signature(SignaturePolicyEnvelope.parseFrom(policy.getValue()));
                case Policy.PolicyType.IMPLICIT_META_VALUE -> {
                    var meta = org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.parseFrom(policy.getValue());
                    yield new ImplicitMeta(ImplicitMetaPolicy.Rule.fromProto(meta.getRule()), meta.getSubPolicy());
                }
                default -> throw new IllegalArgumentException("Unknown policy type: " + policy.getType());
            };
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("could not unmarshal policy: " + e.getMessage(), e);
        }
    }
}
