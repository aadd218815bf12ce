package dev.fabricembedded.scc.channel;

import java.util.Map;

/**
 * The ACL resource names system chaincodes check and Fabric 1.4's default policy for each
 * ({@code core/aclmgmt/resources} and {@code defaultaclprovider.go}, §1.9 of the reference).
 */
public final class AclResources {

    /** {@code lscc/ChaincodeExists} ({@code getid}). */
    public static final String LSCC_CHAINCODE_EXISTS = "lscc/ChaincodeExists";
    /** {@code lscc/GetDeploymentSpec} ({@code getdepspec}). */
    public static final String LSCC_GET_DEPLOYMENT_SPEC = "lscc/GetDeploymentSpec";
    /** {@code lscc/GetChaincodeData} ({@code getccdata}). */
    public static final String LSCC_GET_CHAINCODE_DATA = "lscc/GetChaincodeData";
    /** {@code lscc/GetInstantiatedChaincodes} ({@code getchaincodes}). */
    public static final String LSCC_GET_INSTANTIATED_CHAINCODES = "lscc/GetInstantiatedChaincodes";
    /** {@code lscc/GetCollectionsConfig} ({@code GetCollectionsConfig}). */
    public static final String LSCC_GET_COLLECTIONS_CONFIG = "lscc/GetCollectionsConfig";
    /** {@code qscc/GetChainInfo}. */
    public static final String QSCC_GET_CHAIN_INFO = "qscc/GetChainInfo";
    /** {@code qscc/GetBlockByNumber}. */
    public static final String QSCC_GET_BLOCK_BY_NUMBER = "qscc/GetBlockByNumber";
    /** {@code qscc/GetBlockByHash}. */
    public static final String QSCC_GET_BLOCK_BY_HASH = "qscc/GetBlockByHash";
    /** {@code qscc/GetTransactionByID}. */
    public static final String QSCC_GET_TRANSACTION_BY_ID = "qscc/GetTransactionByID";
    /** {@code qscc/GetBlockByTxID}. */
    public static final String QSCC_GET_BLOCK_BY_TX_ID = "qscc/GetBlockByTxID";
    /** {@code peer/Propose}. */
    public static final String PEER_PROPOSE = "peer/Propose";
    /** {@code peer/ChaincodeToChaincode}. */
    public static final String PEER_CHAINCODE_TO_CHAINCODE = "peer/ChaincodeToChaincode";

    /** {@code /Channel/Application/Readers}. */
    public static final String APPLICATION_READERS = "/Channel/Application/Readers";
    /** {@code /Channel/Application/Writers}. */
    public static final String APPLICATION_WRITERS = "/Channel/Application/Writers";

    /** Fabric 1.4's default channel policy of each resource above. */
    public static final Map<String, String> DEFAULT_POLICIES = Map.ofEntries(
            Map.entry(LSCC_CHAINCODE_EXISTS, APPLICATION_READERS),
            Map.entry(LSCC_GET_DEPLOYMENT_SPEC, APPLICATION_READERS),
            Map.entry(LSCC_GET_CHAINCODE_DATA, APPLICATION_READERS),
            Map.entry(LSCC_GET_INSTANTIATED_CHAINCODES, APPLICATION_READERS),
            Map.entry(LSCC_GET_COLLECTIONS_CONFIG, APPLICATION_READERS),
            Map.entry(QSCC_GET_CHAIN_INFO, APPLICATION_READERS),
            Map.entry(QSCC_GET_BLOCK_BY_NUMBER, APPLICATION_READERS),
            Map.entry(QSCC_GET_BLOCK_BY_HASH, APPLICATION_READERS),
            Map.entry(QSCC_GET_TRANSACTION_BY_ID, APPLICATION_READERS),
            Map.entry(QSCC_GET_BLOCK_BY_TX_ID, APPLICATION_READERS),
            Map.entry(PEER_PROPOSE, APPLICATION_WRITERS),
            Map.entry(PEER_CHAINCODE_TO_CHAINCODE, APPLICATION_WRITERS));

    private AclResources() {
    }
}
