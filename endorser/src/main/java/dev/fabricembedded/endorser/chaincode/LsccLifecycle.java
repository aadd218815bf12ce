package dev.fabricembedded.endorser.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import dev.fabricembedded.scc.lscc.Lscc;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chaincode definitions from LSCC's state and the installed package store (Fabric 1.4's
 * {@code LifeCycleSysCC.ChaincodeDefinition / ChaincodeContainerInfo} and {@code ccprovider.CheckInstantiationPolicy}):
 * the definition is the {@code ChaincodeData} under {@code lscc/<name>}, read through the transaction's query executor
 * (so a simulator records the read); what is launched is the locally installed package of that version, after the
 * fingerprint check against the definition.
 *
 * <p>State: the store, and a concurrent memo of installed packages' instantiation policies (see
 * {@link #checkInstantiationPolicy}). Thread-safe as long as each query executor is used by one thread at a time
 * (chaincode support holds the simulator's monitor).
 */
public final class LsccLifecycle implements Lifecycle {

    /** Packages whose instantiation policy is remembered at most; past it the memo starts again empty. */
    static final int MAX_REMEMBERED_POLICIES = 1024;

    private final ChaincodePackageStore packages;
    /**
     * The instantiation policy (or its absence) of each installed {@code name\0version} seen by
     * {@link #checkInstantiationPolicy}, Fabric 1.4's chaincode info cache ({@code ccprovider.EnableCCInfoCache}, on in
     * every peer): a package, once installed, is never replaced, so its policy cannot change, and re-reading, parsing
     * and fingerprinting the whole package (a jar of megabytes for a real chaincode) before every invoke is what
     * Fabric avoids too. Only found packages are remembered: a package installed later is seen at once. Launches
     * still read the package afresh and check its fingerprint.
     */
    private final ConcurrentHashMap<String, Optional<ByteString>> instantiationPolicies = new ConcurrentHashMap<>();

    /** @param packages the installed packages; null means none is installed */
    public LsccLifecycle(final ChaincodePackageStore packages) {
        this.packages = packages;
    }

    @Override
    public ChaincodeData chaincodeDefinition(final String channelId, final String name, final QueryExecutor qe)
            throws ChaincodeException {
        if (qe == null) {
            throw new ChaincodeException("could not get definition for chaincode " + name
                    + " without a ledger context");
        }
        return definition(name, read(name, qe));
    }

    @Override
    public ChaincodeContainerInfo chaincodeContainerInfo(final String channelId, final String name,
            final QueryExecutor qe) throws ChaincodeException {
        if (qe == null) {
            throw new ChaincodeException("could not get chaincode container info for " + name
                    + " without a ledger context");
        }
        final ChaincodeData definition = definition(name, read(name, qe));
        final ChaincodePackage pkg;
        try {
            pkg = installed(definition.name(), definition.version());
            pkg.validateAgainst(definition);
        } catch (ChaincodeException | InvalidChaincodeException e) {
            throw new ChaincodeException("could not get chaincode code: " + e.getMessage(), e);
        }
        return new ChaincodeContainerInfo(pkg.name(), pkg.version());
    }

    /**
     * Fabric's {@code ccprovider.CheckInstantiationPolicy}: the installed package {@code name:version} must exist, and
     * when it carries an instantiation policy (a signed package) the definition's must be byte-equal to it. The
     * package's policy is read once per {@code name:version} and remembered (see the field's comment); a missing
     * package is looked up again every time.
     */
    @Override
    public void checkInstantiationPolicy(final String name, final String version, final ChaincodeData definition)
            throws ChaincodeException {
        final String key = name + '\0' + version;
        Optional<ByteString> own = instantiationPolicies.get(key);
        if (own == null) {
            own = installed(name, version).instantiationPolicy();
            if (instantiationPolicies.size() >= MAX_REMEMBERED_POLICIES) {
                instantiationPolicies.clear();
            }
            instantiationPolicies.put(key, own);
        }
        // ChaincodePackage.checkInstantiationPolicy's rule, on the remembered policy
        if (own.isPresent() && !own.get().equals(definition.instantiationPolicy())) {
            throw new ChaincodeException("Instantiation policy mismatch for cc " + name + "/" + version);
        }
    }

    private static byte[] read(final String name, final QueryExecutor qe) throws ChaincodeException {
        final byte[] bytes;
        try {
            bytes = qe.getState(Lscc.NAME, name);
        } catch (RuntimeException e) {
            throw new ChaincodeException("could not retrieve state for chaincode " + name + ": " + e.getMessage(), e);
        }
        if (bytes == null || bytes.length == 0) {
            throw new ChaincodeException("chaincode " + name + " not found");
        }
        return bytes;
    }

    private static ChaincodeData definition(final String name, final byte[] bytes) throws ChaincodeException {
        try {
            return ChaincodeData.parse(ByteString.copyFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("chaincode " + name + " has bad definition", e);
        }
    }

    /** Fabric's {@code GetChaincodeFromLocalStorage}, failing as LSCC's {@code InvalidDeploymentSpecErr}. */
    private ChaincodePackage installed(final String name, final String version) throws ChaincodeException {
        final Optional<ChaincodePackage> pkg;
        try {
            pkg = packages == null ? Optional.empty() : packages.get(name, version);
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException("invalid deployment spec: " + e.getMessage(), e);
        }
        return pkg.orElseThrow(() -> new ChaincodeException("invalid deployment spec: chaincode " + name + ":"
                + version + " is not installed"));
    }
}
