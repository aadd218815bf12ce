package dev.fabricembedded.endorser;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.endorser.chaincode.ChaincodeContainerInfo;
import dev.fabricembedded.endorser.chaincode.ChaincodeException;
import dev.fabricembedded.endorser.chaincode.Lifecycle;
import dev.fabricembedded.endorser.chaincode.PackageProvider;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.ccprovider.ChaincodePackageStore;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import dev.fabricembedded.scc.lscc.Lscc;

import java.util.Objects;

/**
 * Chaincode definitions as LSCC stores them (key {@code <name>} in namespace {@code lscc}), checked against the
 * packages installed on this peer: Fabric 1.4's {@code lscc.ChaincodeDefinition}, {@code lscc.ChaincodeContainerInfo}
 * (with the fingerprint check of {@code getCCCode}) and {@code ccprovider.CheckInstantiationPolicy}, with their texts.
 *
 * <p>Definitions are read through the query executor given, normally the transaction's simulator, so the read of
 * {@code lscc/<name>} lands in the transaction's read set and MVCC protects the proposal against a concurrent upgrade,
 * as in Fabric. The package store is read afresh at every check, so a package file changed after instantiation is
 * noticed at the next launch.
 *
 * <p>Stateless apart from the thread-safe store; safe from any thread. The query executor passed to a call belongs to
 * the calling thread for that call.
 */
public final class LsccLifecycle implements Lifecycle, PackageProvider {

    private final ChaincodePackageStore packages;

    /** Definitions checked against the packages of {@code packages}. */
    public LsccLifecycle(final ChaincodePackageStore packages) {
        this.packages = Objects.requireNonNull(packages, "packages");
    }

    /**
     * The definition of {@code name} with every byte as LSCC stored it.
     *
     * @param qe the transaction's simulator or a query executor; null for a proposal without a channel
     * @throws ChaincodeException {@code chaincode <n> not found}, {@code chaincode <n> has bad definition: ...},
     *                            {@code could not get definition for chaincode <n> without a ledger context}
     */
    public ChaincodeData definition(final String name, final QueryExecutor qe) throws ChaincodeException {
        if (qe == null) {
            throw new ChaincodeException("could not get definition for chaincode " + name
                    + " without a ledger context");
        }
        final byte[] bytes;
        try {
            bytes = qe.getState(Lscc.NAME, name);
        } catch (RuntimeException e) {
            throw new ChaincodeException("could not retrieve state for chaincode " + name + ": " + e.getMessage(), e);
        }
        if (bytes == null || bytes.length == 0) {
            throw new ChaincodeException("chaincode " + name + " not found");
        }
        try {
            return ChaincodeData.parse(ByteString.copyFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("chaincode " + name + " has bad definition: " + e.getMessage(), e);
        }
    }

    /**
     * Fabric's {@code CheckInstantiationPolicy}: the package {@code <name>.<version>} must be installed here, and if it
     * carries an instantiation policy (a signed package) that policy must be byte-equal to the definition's.
     *
     * @throws ChaincodeException {@code cannot get package for chaincode (<n>:<v>)} or
     *                            {@code Instantiation policy mismatch for cc <n>/<v>}
     */
    public void checkInstantiationPolicy(final String name, final String version, final ChaincodeData definition)
            throws ChaincodeException {
        try {
            installed(name, version).checkInstantiationPolicy(definition);
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException(e.getMessage(), e);
        }
    }

    @Override
    public org.hyperledger.fabric.protos.peer.ChaincodeData chaincodeDefinition(final String channelId,
            final String name, final QueryExecutor qe) throws ChaincodeException {
        return toProto(definition(name, qe));
    }

    @Override
    public ChaincodeContainerInfo chaincodeContainerInfo(final String channelId, final String name,
            final QueryExecutor qe) throws ChaincodeException {
        final ChaincodeData definition = definition(name, qe);
        final ChaincodePackage pkg;
        try {
            pkg = packages.get(name, definition.version()).orElseThrow(() -> new InvalidChaincodeException(
                    "invalid deployment spec: chaincode " + name + "." + definition.version() + " is not installed"));
            pkg.validateAgainst(definition);
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException("could not get chaincode code: " + e.getMessage(), e);
        }
        return new ChaincodeContainerInfo(pkg.name(), pkg.version());
    }

    @Override
    public void checkInstantiationPolicy(final String name, final String version,
            final org.hyperledger.fabric.protos.peer.ChaincodeData definition) throws ChaincodeException {
        final ChaincodeData exact;
        try {
            exact = ChaincodeData.parse(definition.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("chaincode " + name + " has bad definition: " + e.getMessage(), e);
        }
        checkInstantiationPolicy(name, version, exact);
    }

    /** The code package (a jar or a tar.gz of jars) of the installed {@code <name>.<version>}. */
    @Override
    public byte[] codePackage(final String name, final String version) throws ChaincodeException {
        return installed(name, version).deploymentSpec().getCodePackage().toByteArray();
    }

    /**
     * The installed package, for the endorser's {@code SanitizeUserCDS}.
     *
     * @throws ChaincodeException {@code cannot get package for chaincode (<n>:<v>)}, with the store's reason as cause
     */
    ChaincodePackage installed(final String name, final String version) throws ChaincodeException {
        try {
            return packages.get(name, version).orElseThrow(() -> new ChaincodeException(
                    "cannot get package for chaincode (" + name + ":" + version + ")"));
        } catch (InvalidChaincodeException e) {
            throw new ChaincodeException("cannot get package for chaincode (" + name + ":" + version + "): "
                    + e.getMessage(), e);
        }
    }

    private static org.hyperledger.fabric.protos.peer.ChaincodeData toProto(final ChaincodeData definition)
            throws ChaincodeException {
        try {
            return org.hyperledger.fabric.protos.peer.ChaincodeData.parseFrom(definition.toByteString());
        } catch (InvalidProtocolBufferException e) {
            throw new ChaincodeException("chaincode " + definition.name() + " has bad definition: " + e.getMessage(),
                    e);
        }
    }
}
