package dev.fabricembedded.scc.channel;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import java.util.List;

/**
 * What LSCC, QSCC and VSCC read about a joined channel: its application organisations, its identities, its
 * capabilities and its ACLs. The peer implements it from the channel configuration ({@link ConfiguredChannelView}
 * is a ready implementation); system chaincodes never see the configuration itself.
 *
 * <p>Implementations are immutable snapshots (a configuration update replaces the view) and thread-safe.
 */
public interface ChannelView {

    /** The channel id. */
    String channelId();

    /**
     * The MSP IDs of the channel's application organisations (Fabric's {@code peer.GetMSPIDs}); LSCC's default
     * endorsement and instantiation policies are built over them (sorted by the policy builders).
     */
    List<String> applicationOrgs();

    /** The channel's identity deserializer (its MSP manager), against which policies are evaluated. */
    IdentityDeserializer deserializer();

    /**
     * An endorsement policy ({@code policyBytes}: a serialized {@code SignaturePolicyEnvelope}, e.g. a chaincode
     * definition's) compiled against {@link #deserializer()}. The default compiles on every call; an implementation
     * may keep compiled policies by their bytes, which is exact because the result depends only on the bytes and the
     * view's deserializer (so neither a chaincode upgrade nor a configuration update, which replaces the view, can be
     * served a stale policy).
     *
     * @throws InvalidPolicyException with Fabric's compile error
     */
    default CompiledSignaturePolicy endorsementPolicy(ByteString policyBytes) {
        return CompiledSignaturePolicy.compile(policyBytes, deserializer());
    }

    /** The channel's application capabilities. */
    ChannelCapabilities capabilities();

    /**
     * Checks an ACL resource (e.g. {@link AclResources#LSCC_GET_CHAINCODE_DATA}) against signed data, as Fabric's
     * {@code aclmgmt.CheckACL}.
     *
     * @return satisfied, or a failure whose message is Fabric's ACL error text
     */
    PolicyResult checkAcl(String resource, List<SignedData> signedData);
}
