package dev.fabricembedded.orderer.channelconfig;

import org.hyperledger.fabric.protos.common.Capabilities;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Channel-level capabilities (Fabric 1.4's {@code capabilities.ChannelProvider}): {@code V1_1}, {@code V1_3},
 * {@code V1_4_2}, {@code V1_4_3}. Immutable.
 */
public final class ChannelCapabilities extends CapabilitySet {

    public static final String V1_1 = "V1_1";
    public static final String V1_3 = "V1_3";
    public static final String V1_4_2 = "V1_4_2";
    public static final String V1_4_3 = "V1_4_3";

    private static final Set<String> KNOWN = Set.of(V1_1, V1_3, V1_4_2, V1_4_3);

    /** What Fabric 1.4's sample configtx.yaml enables: {@code V1_4_3}. */
    public static final ChannelCapabilities DEFAULT = of(V1_4_3);

    private ChannelCapabilities(Collection<String> names) {
        super(names);
    }

    public static ChannelCapabilities of(String... names) {
        return new ChannelCapabilities(List.of(names));
    }

    public static ChannelCapabilities of(Collection<String> names) {
        return new ChannelCapabilities(names);
    }

    public static ChannelCapabilities fromProto(Capabilities proto) {
        return new ChannelCapabilities(names(proto));
    }

    @Override
    public String type() {
        return "Channel";
    }

    @Override
    public boolean isKnown(String capability) {
        return KNOWN.contains(capability);
    }

    /** The MSP version the channel requires. */
    public MspVersion mspVersion() {
        if (has(V1_4_3)) {
            return MspVersion.V1_4_3;
        }
        if (has(V1_4_2) || has(V1_3)) {
            return MspVersion.V1_3;
        }
        return has(V1_1) ? MspVersion.V1_1 : MspVersion.V1_0;
    }

    /** Consensus-type migration is permitted (V1_4_2+). */
    public boolean consensusTypeMigration() {
        return has(V1_4_2) || has(V1_4_3);
    }

    /** Orderer organisations may carry their own endpoints (V1_4_2+). */
    public boolean orgSpecificOrdererEndpoints() {
        return has(V1_4_2) || has(V1_4_3);
    }
}
