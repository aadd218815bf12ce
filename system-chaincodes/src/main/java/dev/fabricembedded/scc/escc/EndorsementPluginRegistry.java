package dev.fabricembedded.scc.escc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The endorsement plugins by name (Fabric's {@code peer.handlers.endorsers} in {@code core.yaml}). The endorser
 * looks up the plugin named by a chaincode definition's {@code escc}; LSCC refuses to deploy a chaincode naming a
 * plugin that is not registered (a documented deviation: Fabric accepts any name and fails every later proposal).
 * Immutable and thread-safe.
 */
public final class EndorsementPluginRegistry {

    private final Map<String, EndorsementPlugin> plugins;

    private EndorsementPluginRegistry(Map<String, EndorsementPlugin> plugins) {
        this.plugins = Collections.unmodifiableMap(new LinkedHashMap<>(plugins));
    }

    /** A registry with Fabric's default: {@code escc} = {@link DefaultEndorsement}. */
    public static EndorsementPluginRegistry withDefaults() {
        return builder().build();
    }

    /** A builder preloaded with {@code escc} = {@link DefaultEndorsement}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The plugin registered under {@code name}. */
    public Optional<EndorsementPlugin> find(String name) {
        return Optional.ofNullable(plugins.get(name));
    }

    /**
     * The plugin registered under {@code name}.
     *
     * @throws EndorsementException {@code plugin with name <n> could not be used: plugin with name <n> wasn't found}
     */
    public EndorsementPlugin require(String name) {
        EndorsementPlugin plugin = plugins.get(name);
        if (plugin == null) {
            throw new EndorsementException("plugin with name " + name + " could not be used: plugin with name "
                    + name + " wasn't found");
        }
        return plugin;
    }

    /** The registered names. */
    public Set<String> names() {
        return plugins.keySet();
    }

    @Override
    public String toString() {
        return "EndorsementPluginRegistry" + plugins.keySet();
    }

    /** Builder for {@link EndorsementPluginRegistry}; starts with {@code escc} registered. */
    public static final class Builder {
        private final Map<String, EndorsementPlugin> plugins = new LinkedHashMap<>();

        private Builder() {
            plugins.put(DefaultEndorsement.NAME, new DefaultEndorsement());
        }

        /** Registers (or replaces) a plugin under a name. */
        public Builder register(String name, EndorsementPlugin plugin) {
            if (Objects.requireNonNull(name, "name").isEmpty()) {
                throw new IllegalArgumentException("plugin name must not be empty");
            }
            plugins.put(name, Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        public EndorsementPluginRegistry build() {
            return new EndorsementPluginRegistry(plugins);
        }
    }
}
