package dev.fabricembedded.scc.lscc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.scc.channel.ChannelView;
import org.hyperledger.fabric.protos.peer.CollectionConfig;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.OrganizationUnit;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.StaticCollectionConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LSCC's checks of a collection configuration before it is stored (Fabric 1.4 {@code putChaincodeCollectionData} +
 * {@code checkCollectionMemberPolicy}): it parses, every collection is static with a member-orgs signature policy
 * whose principals are ROLE, ORGANIZATION_UNIT or IDENTITY, and the policy compiles. Members that are not
 * organisations of the channel only produce a warning, as in Fabric. Stateless.
 */
final class CollectionConfigCheck {

    private static final Logger LOG = LoggerFactory.getLogger(CollectionConfigCheck.class);

    private CollectionConfigCheck() {
    }

    static void check(ByteString bytes, String name, String version, ChannelView channel) {
        CollectionConfigPackage collections;
        try {
            collections = CollectionConfigPackage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new LsccException("invalid collection configuration supplied for chaincode " + name + ":" + version);
        }
        for (CollectionConfig config : collections.getConfigList()) {
            String problem = memberPolicyProblem(config, channel);
            if (problem != null) {
                throw new LsccException("collection member policy check failed: " + problem);
            }
        }
    }

    private static String memberPolicyProblem(CollectionConfig config, ChannelView channel) {
        if (!config.hasStaticCollectionConfig()) {
            return "collection configuration is empty";
        }
        StaticCollectionConfig coll = config.getStaticCollectionConfig();
        if (!coll.hasMemberOrgsPolicy()) {
            return "collection member policy is not set";
        }
        if (!coll.getMemberOrgsPolicy().hasSignaturePolicy()) {
            return "collection member org policy is empty";
        }
        SignaturePolicyEnvelope policy = coll.getMemberOrgsPolicy().getSignaturePolicy();
        for (MSPPrincipal principal : policy.getIdentitiesList()) {
            String member;
            boolean onChannel;
            try {
                switch (principal.getPrincipalClassification()) {
                    case ROLE -> {
                        member = MSPRole.parseFrom(principal.getPrincipal()).getMspIdentifier();
                        onChannel = channel.applicationOrgs().contains(member);
                    }
                    case ORGANIZATION_UNIT -> {
                        member = OrganizationUnit.parseFrom(principal.getPrincipal()).getMspIdentifier();
                        onChannel = channel.applicationOrgs().contains(member);
                    }
                    case IDENTITY -> {
                        member = "identity principal";
                        onChannel = deserializes(channel, principal.getPrincipal());
                    }
                    default -> {
                        return "collection-name: " + coll.getName() + " -- principal type "
                                + principal.getPrincipalClassification() + " is not supported";
                    }
                }
            } catch (InvalidProtocolBufferException e) {
                return "collection-name: " + coll.getName() + " -- cannot unmarshal identities: " + e.getMessage();
            }
            if (!onChannel) {
                LOG.warn("collection-name: {} collection member {} is not part of the channel", coll.getName(), member);
            }
        }
        try {
            CompiledSignaturePolicy.compile(policy, channel.deserializer());
        } catch (InvalidPolicyException e) {
            return "collection-name: " + coll.getName() + " -- " + e.getMessage();
        }
        return null;
    }

    private static boolean deserializes(ChannelView channel, ByteString identity) {
        try {
            channel.deserializer().deserializeIdentity(identity);
            return true;
        } catch (InvalidIdentityException e) {
            return false;
        }
    }
}
