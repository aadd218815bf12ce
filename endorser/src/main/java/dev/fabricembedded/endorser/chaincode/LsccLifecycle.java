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

/**
 * Chaincode definitions from LSCC's state and the installed package store (Fabric 1.4's
 * {@code LifeCycleSysCC.ChaincodeDefinition / ChaincodeContainerInfo} and {@code ccprovider.CheckInstantiationPolicy}):
 * the definition is the {@code ChaincodeData} under {@code lscc/<name>}, read through the transaction's query executor
 * (so a simulator records the read); what is launched is the locally installed package of that version, after the
 * fingerprint check against the definition.
 *
 * <p>Stateless apart from the store; thread-safe as long as each query executor is used by one thread at a time
 * (chaincode support holds the simulator's monitor).
 */
public final class LsccLifecycle implements Lifecycle {

    private final ChaincodePackageStore packages;

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

    @Override
    public void checkInstantiationPolicy(final String name, final String version, final ChaincodeData definition)
            throws ChaincodeException {
        try {
            installed(name, version).checkInstantiationPolicy(definition);
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException(e.getMessage(), e);
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
