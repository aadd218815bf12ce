package dev.fabricembedded.scc.vscc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The validation plugins by name (Fabric's {@code peer.handlers.validators} in {@code core.yaml}). The committer looks
 * up the plugin named by a chaincode definition's {@code vscc}; LSCC refuses to deploy a chaincode naming a plugin
 * that is not registered. Immutable and thread-safe.
 */
public final class ValidationPluginRegistry {

    private final Map<String, ValidationPlugin> plugins;

    private ValidationPluginRegistry(Map<String, ValidationPlugin> plugins) {
        this.plugins = Collections.unmodifiableMap(new LinkedHashMap<>(plugins));
    }

    /** A registry with Fabric's default: {@code vscc} = {@link DefaultValidation}. */
    public static ValidationPluginRegistry withDefaults() {
        return builder().build();
    }

    /** A builder preloaded with {@code vscc} = {@link DefaultValidation}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The plugin registered under {@code name}. */
    public Optional<ValidationPlugin> find(String name) {
        return Optional.ofNullable(plugins.get(name));
    }

    /**
     * The plugin registered under {@code name}.
     *
     * @throws ValidationExecutionException {@code plugin with name <n> wasn't found} (an unknown plugin aborts the
     *                                      block in Fabric)
     */
    public ValidationPlugin require(String name) {
        ValidationPlugin plugin = plugins.get(name);
        if (plugin == null) {
            throw new ValidationExecutionException("plugin with name " + name + " wasn't found");
        }
        return plugin;
    }

    /** The registered names. */
    public Set<String> names() {
        return plugins.keySet();
    }

    @Override
    public String toString() {
        return "ValidationPluginRegistry" + plugins.keySet();
    }

    /** Builder for {@link ValidationPluginRegistry}; starts with {@code vscc} registered. */
    public static final class Builder {
        private final Map<String, ValidationPlugin> plugins = new LinkedHashMap<>();

        private Builder() {
            plugins.put(DefaultValidation.NAME, new DefaultValidation());
        }

        /** Registers (or replaces) a plugin under a name. */
        public Builder register(String name, ValidationPlugin plugin) {
            if (Objects.requireNonNull(name, "name").isEmpty()) {
                throw new IllegalArgumentException("plugin name must not be empty");
            }
            plugins.put(name, Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        public ValidationPluginRegistry build() {
            return new ValidationPluginRegistry(plugins);
        }
    }
}
