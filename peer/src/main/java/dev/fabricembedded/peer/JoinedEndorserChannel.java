package dev.fabricembedded.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.EndorserChannel;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.orderer.channelconfig.ApplicationCapabilities;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ConfigKeys;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ConfiguredChannelView;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;

import java.util.List;
import java.util.Map;

/**
 * The {@link EndorserChannel} of a joined channel, read from its configuration: the application organisations' MSP
 * ids, the channel's MSP manager as identity deserializer, the application capabilities, and ACLs evaluated over the
 * channel's policy tree with Fabric's default resource map, overridden by the application group's {@code ACLs}
 * value when the {@code V1_2} capability allows it (a relative policy reference is resolved under
 * {@code /Channel/Application/}, as Fabric's {@code aclmgmt} does).
 *
 * <p>Immutable and thread-safe; a new configuration would give a new instance.
 */
final class JoinedEndorserChannel implements EndorserChannel {

    private static final String APPLICATION_PREFIX = "/" + ConfigKeys.CHANNEL_GROUP + "/"
            + ConfigKeys.APPLICATION_GROUP + "/";

    private final ChannelLedger ledger;
    private final ConfiguredChannelView view;

    JoinedEndorserChannel(final ChannelConfig config, final ChannelLedger ledger) {
        this.ledger = ledger;
        final ApplicationCapabilities application = config.applicationCapabilities();
        final ConfiguredChannelView.Builder view = ConfiguredChannelView.builder(config.channelId())
                .applicationOrgs(config.applicationMspIds())
                .deserializer(config.mspManager())
                .capabilities(new ChannelCapabilities(application.privateChannelData(),
                        application.collectionUpgrade(), application.v1_1Validation(), application.v1_2Validation(),
                        application.v1_3Validation(), application.keyLevelEndorsement()))
                .policies(config.policies());
        if (application.acls()) {
            aclOverrides(config).forEach(view::aclOverride);
        }
        this.view = view.build();
    }

    private static Map<String, String> aclOverrides(final ChannelConfig config) {
        final ConfigGroup group = config.config().getChannelGroup().getGroupsMap().get(ConfigKeys.APPLICATION_GROUP);
        final ConfigValue value = group == null ? null : group.getValuesMap().get(ConfigKeys.ACLS);
        if (value == null) {
            return Map.of();
        }
        final ACLs acls;
        try {
            acls = ACLs.parseFrom(value.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("channel " + config.channelId() + ": could not unmarshal the "
                    + ConfigKeys.ACLS + " value: " + e.getMessage(), e);
        }
        final java.util.HashMap<String, String> overrides = new java.util.HashMap<>();
        for (final Map.Entry<String, APIResource> entry : acls.getAclsMap().entrySet()) {
            final String reference = entry.getValue().getPolicyRef();
            overrides.put(entry.getKey(), reference.startsWith("/") ? reference : APPLICATION_PREFIX + reference);
        }
        return overrides;
    }

    @Override
    public ChannelLedger ledger() {
        return ledger;
    }

    @Override
    public String channelId() {
        return view.channelId();
    }

    @Override
    public List<String> applicationOrgs() {
        return view.applicationOrgs();
    }

    @Override
    public IdentityDeserializer deserializer() {
        return view.deserializer();
    }

    @Override
    public ChannelCapabilities capabilities() {
        return view.capabilities();
    }

    @Override
    public PolicyResult checkAcl(final String resource, final List<SignedData> signedData) {
        return view.checkAcl(resource, signedData);
    }

    @Override
    public String toString() {
        return "JoinedEndorserChannel{" + channelId() + ", orgs=" + applicationOrgs() + "}";
    }
}
