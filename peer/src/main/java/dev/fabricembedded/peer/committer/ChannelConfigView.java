package dev.fabricembedded.peer.committer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.orderer.channelconfig.ApplicationCapabilities;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ConfigKeys;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ConfiguredChannelView;
import java.util.HashMap;
import java.util.Map;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.peer.ACLs;
import org.hyperledger.fabric.protos.peer.APIResource;

/**
 * The {@link ConfiguredChannelView} of a channel configuration, as both the endorser and the committer read it: the
 * application organisations' MSP ids, the channel's MSP manager as identity deserializer, the application
 * capabilities, and ACLs evaluated over the channel's policy tree with Fabric's default resource map, overridden by
 * the application group's {@code ACLs} value when the {@code V1_2} capability allows it (a relative policy reference
 * is resolved under {@code /Channel/Application/}, as Fabric's {@code aclmgmt} does). One mapping, so that the two
 * sides of a peer can never disagree on what a configuration says.
 */
public final class ChannelConfigView {

    private static final String APPLICATION_PREFIX = "/" + ConfigKeys.CHANNEL_GROUP + "/"
            + ConfigKeys.APPLICATION_GROUP + "/";

    private ChannelConfigView() {
    }

    /**
     * The view of {@code config}; immutable and thread-safe.
     *
     * @throws IllegalArgumentException if the application group's {@code ACLs} value does not parse
     */
    public static ConfiguredChannelView of(final ChannelConfig config) {
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
        return view.build();
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
        final Map<String, String> overrides = new HashMap<>();
        for (final Map.Entry<String, APIResource> entry : acls.getAclsMap().entrySet()) {
            final String reference = entry.getValue().getPolicyRef();
            overrides.put(entry.getKey(), reference.startsWith("/") ? reference : APPLICATION_PREFIX + reference);
        }
        return overrides;
    }
}
