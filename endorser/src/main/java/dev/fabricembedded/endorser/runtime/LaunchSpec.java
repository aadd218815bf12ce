package dev.fabricembedded.endorser.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to start: a chaincode name and version (Fabric's {@code cname} is {@code name:version}), its package jars,
 * and optionally the chaincode class and extra environment variables.
 *
 * <pre>{@code
 * LaunchSpec spec = LaunchSpec.builder("mycc", "1.0")
 *         .packageJars(CodePackageFiles.materialize(cds.getCodePackage().toByteArray(), dir).jars())
 *         .build();
 * }</pre>
 *
 * <p>The name and version follow Fabric's rules (they end up in file names, container names and command lines),
 * checked with Fabric's messages. The package jars are files the caller keeps in place while the chaincode runs
 * (see {@link CodePackageFiles}); an in-process chaincode has none. Without a chaincode class, the class is read
 * from the {@code Chaincode-Class} attribute of a package jar's manifest. Instances are immutable.
 */
public final class LaunchSpec {

    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$");
    private static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9_.+-]+$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

    private final String name;
    private final String version;
    private final List<Path> packageJars;
    private final String chaincodeClass;
    private final Map<String, String> env;

    private LaunchSpec(final Builder builder) {
        this.name = builder.name;
        this.version = builder.version;
        this.packageJars = List.copyOf(builder.packageJars);
        this.chaincodeClass = builder.chaincodeClass;
        this.env = Map.copyOf(builder.env);
    }

    /**
     * Starts a spec.
     *
     * @throws IllegalArgumentException with Fabric's message if the name or version is malformed
     */
    public static Builder builder(final String name, final String version) {
        return new Builder(name, version);
    }

    /** The chaincode name. */
    public String name() {
        return name;
    }

    /** The chaincode version. */
    public String version() {
        return version;
    }

    /** {@code name:version}, the id the chaincode registers with (Fabric's {@code CORE_CHAINCODE_ID_NAME}). */
    public String chaincodeId() {
        return name + ":" + version;
    }

    /** The package jars, in class-path order; empty for an in-process chaincode. */
    public List<Path> packageJars() {
        return packageJars;
    }

    /** The chaincode class, if given; otherwise a package jar's manifest names it. */
    public Optional<String> chaincodeClass() {
        return Optional.ofNullable(chaincodeClass);
    }

    /** Extra environment variables for the chaincode process or container (unordered, immutable). */
    public Map<String, String> env() {
        return env;
    }

    @Override
    public String toString() {
        return chaincodeId() + (packageJars.isEmpty() ? "" : " " + packageJars)
                + (chaincodeClass == null ? "" : " class " + chaincodeClass);
    }

    /** Collects the parts of a {@link LaunchSpec}. */
    public static final class Builder {
        private final String name;
        private final String version;
        private final List<Path> packageJars = new ArrayList<>();
        private String chaincodeClass;
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(final String name, final String version) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid chaincode name '" + name + "'. Names must start with an"
                        + " alphanumeric character and can only consist of alphanumerics, '_', and '-'");
            }
            if (!VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("invalid chaincode version '" + version + "'. Versions must not be"
                        + " empty and can only consist of alphanumerics, '_',  '-', '+', and '.'");
            }
            this.name = name;
            this.version = version;
        }

        /** Adds one package jar (after those added before). */
        public Builder packageJar(final Path jar) {
            packageJars.add(Objects.requireNonNull(jar, "jar").toAbsolutePath().normalize());
            return this;
        }

        /** Adds package jars, in order. */
        public Builder packageJars(final List<Path> jars) {
            Objects.requireNonNull(jars, "jars").forEach(this::packageJar);
            return this;
        }

        /** The fully qualified name of the {@code Chaincode} class, overriding the manifest. */
        public Builder chaincodeClass(final String className) {
            Objects.requireNonNull(className, "className");
            if (className.isBlank()) {
                throw new IllegalArgumentException("chaincode class must not be blank");
            }
            this.chaincodeClass = className.trim();
            return this;
        }

        /**
         * An extra environment variable for the chaincode. {@code CORE_CHAINCODE_ID_NAME} is always set by the
         * runtime to the chaincode id and cannot be overridden.
         */
        public Builder env(final String variable, final String value) {
            Objects.requireNonNull(variable, "variable");
            Objects.requireNonNull(value, "value");
            if (!ENV_NAME.matcher(variable).matches()) {
                throw new IllegalArgumentException("invalid environment variable name '" + variable + "'");
            }
            env.put(variable, value);
            return this;
        }

        public LaunchSpec build() {
            return new LaunchSpec(this);
        }
    }
}
