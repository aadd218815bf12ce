package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.orderer.block.BlockVerifier;
import dev.fabricembedded.orderer.channelconfig.ApplicationCapabilities;
import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.scc.channel.ChannelView;
import java.util.Objects;

/**
 * What the committer derives from one channel configuration, computed once per configuration rather than per block:
 * the block verifier (§5.5), the {@link ChannelView} validation plugins read, and the policy system chaincode
 * transactions are validated against ({@code SignedByAnyMember} of the application organisations, §6.3 step 7).
 * Immutable.
 */
record ChannelSnapshot(ChannelConfig config, BlockVerifier verifier, ChannelView view,
                       ByteString systemChaincodePolicy) {

    ChannelSnapshot {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(systemChaincodePolicy, "systemChaincodePolicy");
    }

    static ChannelSnapshot of(ChannelConfig config) {
        ChannelView view = ChannelConfigView.of(config);
        return new ChannelSnapshot(config, BlockVerifier.forChannel(config), view,
                SignaturePolicies.signedByAnyMember(config.applicationMspIds()).toByteString());
    }

    ApplicationCapabilities capabilities() {
        return config.applicationCapabilities();
    }

    String channelId() {
        return config.channelId();
    }
}
