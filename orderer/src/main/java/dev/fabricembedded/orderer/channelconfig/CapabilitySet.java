package dev.fabricembedded.orderer.channelconfig;

import org.hyperledger.fabric.protos.common.Capabilities;
import org.hyperledger.fabric.protos.common.Capability;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The capabilities required at one level of a channel configuration (the {@code Capabilities} value of the
 * {@code Channel}, {@code Application} or {@code Orderer} group): names such as {@code V1_4_3} that every node must
 * support, and from which the behaviour flags of that level are derived (Fabric's {@code common/capabilities}).
 *
 * <p>Only capabilities that are present count: configtxgen writes the names set to {@code true} and nothing else.
 * Immutable.
 */
public abstract sealed class CapabilitySet permits ChannelCapabilities, ApplicationCapabilities, OrdererCapabilities {

    private final Set<String> names;

    CapabilitySet(Collection<String> names) {
        TreeSet<String> copy = new TreeSet<>();
        for (String name : names) {
            Objects.requireNonNull(name, "capability name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("capability names must not be empty");
            }
            copy.add(name);
        }
        this.names = Collections.unmodifiableSet(copy);
    }

    static Set<String> names(Capabilities proto) {
        return proto.getCapabilitiesMap().keySet();
    }

    /** The level's name as Fabric logs it: {@code Channel}, {@code Application} or {@code Orderer}. */
    public abstract String type();

    /** Whether this implementation knows a capability (Fabric's {@code HasCapability}). */
    public abstract boolean isKnown(String capability);

    /** The required capabilities, sorted. */
    public Set<String> names() {
        return names;
    }

    /** Whether a capability is required. */
    public boolean has(String capability) {
        return names.contains(capability);
    }

    /**
     * Fabric's {@code Supported()}: empty when every required capability is known, otherwise
     * {@code <Type> capability <name> is required but not supported}.
     */
    public Optional<String> unsupported() {
        for (String name : names) {
            if (!isKnown(name)) {
                return Optional.of(type() + " capability " + name + " is required but not supported");
            }
        }
        return Optional.empty();
    }

    /** The {@code Capabilities} value (each name mapped to an empty {@code Capability}). */
    public Capabilities toProto() {
        Capabilities.Builder builder = Capabilities.newBuilder();
        for (String name : names) {
            builder.putCapabilities(name, Capability.getDefaultInstance());
        }
        return builder.build();
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((CapabilitySet) o).names.equals(names);
    }

    @Override
    public int hashCode() {
        return getClass().hashCode() * 31 + names.hashCode();
    }

    @Override
    public String toString() {
        return type() + "Capabilities" + names;
    }
}
