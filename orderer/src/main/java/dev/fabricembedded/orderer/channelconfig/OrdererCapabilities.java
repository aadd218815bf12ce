package dev.fabricembedded.orderer.channelconfig;

import org.hyperledger.fabric.protos.common.Capabilities;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Orderer-level capabilities (Fabric 1.4's {@code capabilities.OrdererProvider}): {@code V1_1} and {@code V1_4_2}.
 * Immutable.
 */
public final class OrdererCapabilities extends CapabilitySet {

    public static final String V1_1 = "V1_1";
    public static final String V1_4_2 = "V1_4_2";

    private static final Set<String> KNOWN = Set.of(V1_1, V1_4_2);

    /** What Fabric 1.4's sample configtx.yaml enables: {@code V1_4_2}. */
    public static final OrdererCapabilities DEFAULT = of(V1_4_2);

    private OrdererCapabilities(Collection<String> names) {
        super(names);
    }

    public static OrdererCapabilities of(String... names) {
        return new OrdererCapabilities(List.of(names));
    }

    public static OrdererCapabilities of(Collection<String> names) {
        return new OrdererCapabilities(names);
    }

    public static OrdererCapabilities fromProto(Capabilities proto) {
        return new OrdererCapabilities(names(proto));
    }

    @Override
    public String type() {
        return "Orderer";
    }

    @Override
    public boolean isKnown(String capability) {
        return KNOWN.contains(capability);
    }

    /** Channel creation uses a predictable template (V1_1+). */
    public boolean predictableChannelTemplate() {
        return has(V1_1) || has(V1_4_2);
    }

    /** Messages validated under an older config sequence are re-validated (V1_1+). */
    public boolean resubmission() {
        return has(V1_1) || has(V1_4_2);
    }

    /** Broadcast rejects envelopes whose creator certificate has expired (V1_1+): {@code identity expired}. */
    public boolean expirationCheck() {
        return has(V1_1) || has(V1_4_2);
    }

    /** Consensus-type migration (V1_4_2). */
    public boolean consensusTypeMigration() {
        return has(V1_4_2);
    }
}
