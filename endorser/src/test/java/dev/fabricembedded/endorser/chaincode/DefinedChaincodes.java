package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hyperledger.fabric.protos.peer.ChaincodeData;

/**
 * The chaincode definitions of the test channels (what LSCC would have on the ledger): name to version. The real
 * lifecycle, reading {@code lscc} state and checking package fingerprints, belongs to the system chaincodes.
 */
final class DefinedChaincodes implements Lifecycle {

    private final Map<String, String> versions = new ConcurrentHashMap<>();

    DefinedChaincodes define(final String name, final String version) {
        versions.put(name, version);
        return this;
    }

    @Override
    public ChaincodeData chaincodeDefinition(final String channelId, final String name, final QueryExecutor qe)
            throws ChaincodeException {
        final String version = versions.get(name);
        if (version == null) {
            throw new ChaincodeException("chaincode " + name + " not found");
        }
        return ChaincodeData.newBuilder().setName(name).setVersion(version).setEscc("escc").setVscc("vscc").build();
    }

    @Override
    public ChaincodeContainerInfo chaincodeContainerInfo(final String channelId, final String name,
            final QueryExecutor qe) throws ChaincodeException {
        final ChaincodeData definition = chaincodeDefinition(channelId, name, qe);
        return new ChaincodeContainerInfo(definition.getName(), definition.getVersion());
    }

    @Override
    public void checkInstantiationPolicy(final String name, final String version, final ChaincodeData definition) {
        // test packages carry no instantiation policy
    }
}
