package dev.fabricembedded.gateway;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.proposal.DeployOptions;
import dev.fabricembedded.endorser.proposal.ProposalBuilder;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.peer.PeerChannel;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A channel seen through a {@link Gateway}: its contracts, and the LSCC lifecycle of its chaincodes. Immutable;
 * calls run on the caller's thread.
 */
public final class Network {

    private final Gateway gateway;
    private final String channelId;

    Network(final Gateway gateway, final String channelId) {
        this.gateway = gateway;
        this.channelId = channelId;
    }

    /** The channel id. */
    public String channelId() {
        return channelId;
    }

    /** The contract of an instantiated chaincode. */
    public Contract contract(final String chaincodeName) {
        return new Contract(gateway, channelId, Objects.requireNonNull(chaincodeName, "chaincodeName"));
    }

    /** The channel as the committing (first) peer of the gateway holds it, for its ledger and events. */
    public PeerChannel channel() {
        return gateway.peers().get(0).channel(channelId).orElseThrow(() -> new IllegalStateException("peer "
                + gateway.peers().get(0).name() + " has not joined channel " + channelId));
    }

    /**
     * Instantiates an installed chaincode through LSCC {@code deploy}, running its Init with {@code initArgs}
     * (function first, as Fabric's CLI {@code -c '{"Args":[...]}'}), and waits for the commit.
     *
     * @param policyDsl the endorsement policy in Fabric's DSL, e.g. {@code AND('Org1MSP.member','Org2MSP.member')};
     *                  {@code null} for Fabric's default (a signature of any member of the channel's organisations)
     * @throws dev.fabricembedded.msp.policy.InvalidPolicyException with Fabric's text for a policy that does not parse
     * @throws GatewayException                                    as {@link Contract#submitTransaction}
     */
    public SubmitResult instantiate(final String name, final String version, final List<String> initArgs,
            final String policyDsl) {
        return lifecycle(false, name, version, initArgs, policyDsl);
    }

    /** Upgrades an instantiated chaincode to an installed version through LSCC {@code upgrade}; as {@link #instantiate}. */
    public SubmitResult upgrade(final String name, final String version, final List<String> initArgs,
            final String policyDsl) {
        return lifecycle(true, name, version, initArgs, policyDsl);
    }

    private SubmitResult lifecycle(final boolean upgrade, final String name, final String version,
            final List<String> initArgs, final String policyDsl) {
        gateway.checkOpen();
        final ChaincodeInput.Builder input = ChaincodeInput.newBuilder();
        for (final String arg : initArgs) {
            input.addArgs(ByteString.copyFrom(arg, StandardCharsets.UTF_8));
        }
        final ChaincodeDeploymentSpec spec = ChaincodeDeploymentSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder()
                        .setType(ChaincodeSpec.Type.JAVA)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(Objects.requireNonNull(name, "name"))
                                .setVersion(Objects.requireNonNull(version, "version")))
                        .setInput(input))
                .build();
        DeployOptions options = DeployOptions.defaults();
        if (policyDsl != null) {
            options = options.withEndorsementPolicy(PolicyDsl.parse(policyDsl));
        }
        final ProposalBuilder proposal = upgrade ? ProposalBuilder.upgrade(channelId, spec, options)
                : ProposalBuilder.deploy(channelId, spec, options);
        return gateway.submit(channelId, proposal, List.of(gateway.ownPeer()));
    }

    @Override
    public String toString() {
        return "Network[" + channelId + "]";
    }
}
