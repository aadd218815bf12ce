package dev.fabricembedded.endorser.proposal;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.Objects;

/**
 * The optional arguments of an LSCC {@code deploy} or {@code upgrade} after the channel name and the deployment spec
 * (fabric-1.4-flow.md §2.3): {@code [policy, escc, vscc, collectionConfig]}. An absent argument lets LSCC apply its
 * default ({@code SignedByAnyMember} of the channel's organisations, {@code escc}, {@code vscc}, no collections).
 *
 * <p>Arguments are sent up to the last one given, earlier absent ones as empty bytes (which LSCC reads as absent),
 * so a proposal carries exactly what a Fabric client would send. Immutable.
 *
 * @param endorsementPolicy a marshaled {@code SignaturePolicyEnvelope}, or {@code null}
 * @param escc              the endorsement plugin name, or {@code null}
 * @param vscc              the validation plugin name, or {@code null}
 * @param collectionConfig  a marshaled {@code CollectionConfigPackage}, or {@code null}
 */
public record DeployOptions(ByteString endorsementPolicy, String escc, String vscc, ByteString collectionConfig) {

    private static final DeployOptions NONE = new DeployOptions(null, null, null, null);

    /** No optional argument: LSCC's defaults apply. */
    public static DeployOptions defaults() {
        return NONE;
    }

    /** The same options with an endorsement policy. */
    public DeployOptions withEndorsementPolicy(final SignaturePolicyEnvelope policy) {
        return withEndorsementPolicy(Objects.requireNonNull(policy, "policy").toByteString());
    }

    /** The same options with an endorsement policy given as bytes (kept exactly as given). */
    public DeployOptions withEndorsementPolicy(final ByteString policy) {
        return new DeployOptions(policy, escc, vscc, collectionConfig);
    }

    /** The same options with an endorsement plugin name. */
    public DeployOptions withEscc(final String name) {
        return new DeployOptions(endorsementPolicy, name, vscc, collectionConfig);
    }

    /** The same options with a validation plugin name. */
    public DeployOptions withVscc(final String name) {
        return new DeployOptions(endorsementPolicy, escc, name, collectionConfig);
    }

    /** The same options with a collection configuration package. */
    public DeployOptions withCollectionConfig(final ByteString config) {
        return new DeployOptions(endorsementPolicy, escc, vscc, config);
    }
}
