package dev.fabricembedded.endorser.chaincode;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The system chaincodes of a peer and Fabric's rules about them (Fabric's {@code SystemChaincodeProvider}).
 *
 * <p>{@code escc} and {@code vscc} are Fabric 1.4's "deprecated system chaincodes": endorsement and validation are
 * plugins under those names, never chaincodes, yet the names still count as system chaincodes that can be invoked
 * neither by a proposal nor by another chaincode. Immutable; thread-safe.
 */
public final class SystemChaincodes {

    /** Names that are system chaincodes in name only (Fabric 1.4's endorsement and validation plugins). */
    public static final Set<String> DEPRECATED = Set.of("escc", "vscc");

    private final String version;
    private final Map<String, SystemChaincode> chaincodes;

    SystemChaincodes(final String version, final Collection<SystemChaincode> chaincodes) {
        this.version = Objects.requireNonNull(version, "version");
        final Map<String, SystemChaincode> byName = new LinkedHashMap<>();
        for (final SystemChaincode chaincode : chaincodes) {
            if (DEPRECATED.contains(chaincode.name())) {
                throw new IllegalArgumentException(chaincode.name() + " is a deprecated system chaincode name and"
                        + " cannot be registered");
            }
            if (byName.putIfAbsent(chaincode.name(), chaincode) != null) {
                throw new IllegalArgumentException("system chaincode " + chaincode.name() + " registered twice");
            }
        }
        this.chaincodes = Map.copyOf(byName);
    }

    /** The version every system chaincode runs under (Fabric's {@code util.GetSysCCVersion()}). */
    public String version() {
        return version;
    }

    /** The registered system chaincodes. */
    public List<SystemChaincode> all() {
        return List.copyOf(chaincodes.values());
    }

    /** The registered system chaincode of this name, if any (deprecated names have none). */
    public Optional<SystemChaincode> get(final String name) {
        return Optional.ofNullable(chaincodes.get(name));
    }

    /** Whether {@code name} is a system chaincode, deprecated names included (Fabric's {@code IsSysCC}). */
    public boolean isSysCC(final String name) {
        return chaincodes.containsKey(name) || DEPRECATED.contains(name);
    }

    /** Whether a proposal may not target {@code name} (Fabric's {@code IsSysCCAndNotInvokableExternal}). */
    public boolean isSysCCAndNotInvokableExternal(final String name) {
        final SystemChaincode chaincode = chaincodes.get(name);
        return chaincode != null ? !chaincode.invokableExternal() : DEPRECATED.contains(name);
    }

    /** Whether a chaincode may not invoke {@code name} (Fabric's {@code IsSysCCAndNotInvokableCC2CC}). */
    public boolean isSysCCAndNotInvokableCC2CC(final String name) {
        final SystemChaincode chaincode = chaincodes.get(name);
        return chaincode != null ? !chaincode.invokableCC2CC() : DEPRECATED.contains(name);
    }
}
