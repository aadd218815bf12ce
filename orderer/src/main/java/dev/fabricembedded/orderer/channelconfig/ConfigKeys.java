package dev.fabricembedded.orderer.channelconfig;

/**
 * The names of groups, values and policies in a Fabric 1.4 channel configuration tree
 * ({@code common/channelconfig/*.go}), and the policy paths the peer and orderer evaluate. They are part of the wire
 * format: a configuration is only understood by Fabric if these exact keys are used.
 */
public final class ConfigKeys {

    /** Name of the root group in policy paths ({@code /Channel/...}). */
    public static final String CHANNEL_GROUP = "Channel";
    /** The application group, holding the application organisations. */
    public static final String APPLICATION_GROUP = "Application";
    /** The orderer group, holding the batch settings and the orderer organisations. */
    public static final String ORDERER_GROUP = "Orderer";

    /** Channel value: {@code HashingAlgorithm{name}}, always {@code SHA256} here. */
    public static final String HASHING_ALGORITHM = "HashingAlgorithm";
    /** Channel value: {@code BlockDataHashingStructure{width}}, always {@code MaxUint32}. */
    public static final String BLOCK_DATA_HASHING_STRUCTURE = "BlockDataHashingStructure";
    /** Channel value: {@code OrdererAddresses{addresses}}. */
    public static final String ORDERER_ADDRESSES = "OrdererAddresses";
    /** Channel value: {@code Consortium{name}}. */
    public static final String CONSORTIUM = "Consortium";
    /** Value at channel, application and orderer level: {@code Capabilities}. */
    public static final String CAPABILITIES = "Capabilities";
    /** Organisation value: {@code MSPConfig{type=0, config=FabricMSPConfig}}. */
    public static final String MSP = "MSP";
    /** Organisation value: {@code AnchorPeers} (application organisations). */
    public static final String ANCHOR_PEERS = "AnchorPeers";
    /** Application value: {@code ACLs}. */
    public static final String ACLS = "ACLs";
    /** Orderer value: {@code BatchSize}. */
    public static final String BATCH_SIZE = "BatchSize";
    /** Orderer value: {@code BatchTimeout}. */
    public static final String BATCH_TIMEOUT = "BatchTimeout";
    /** Orderer value: {@code ConsensusType}. */
    public static final String CONSENSUS_TYPE = "ConsensusType";
    /** Orderer value: {@code ChannelRestrictions}. */
    public static final String CHANNEL_RESTRICTIONS = "ChannelRestrictions";

    /** Policy name: who may read (deliver, queries). */
    public static final String READERS = "Readers";
    /** Policy name: who may write (broadcast, proposals). */
    public static final String WRITERS = "Writers";
    /** Policy name: who may administer. */
    public static final String ADMINS = "Admins";
    /** Orderer policy name: who may sign blocks. */
    public static final String BLOCK_VALIDATION = "BlockValidation";

    /** {@code /Channel/Readers}. */
    public static final String CHANNEL_READERS = "/Channel/Readers";
    /** {@code /Channel/Writers}: the orderer's broadcast filter. */
    public static final String CHANNEL_WRITERS = "/Channel/Writers";
    /** {@code /Channel/Admins}. */
    public static final String CHANNEL_ADMINS = "/Channel/Admins";
    /** {@code /Channel/Application/Readers}. */
    public static final String APPLICATION_READERS = "/Channel/Application/Readers";
    /** {@code /Channel/Application/Writers}: the endorser's default proposal ACL. */
    public static final String APPLICATION_WRITERS = "/Channel/Application/Writers";
    /** {@code /Channel/Application/Admins}. */
    public static final String APPLICATION_ADMINS = "/Channel/Application/Admins";
    /** {@code /Channel/Orderer/Writers}. */
    public static final String ORDERER_WRITERS = "/Channel/Orderer/Writers";
    /** {@code /Channel/Orderer/Admins}: the mod_policy of {@code OrdererAddresses}. */
    public static final String ORDERER_ADMINS = "/Channel/Orderer/Admins";
    /** {@code /Channel/Orderer/BlockValidation}: what block signatures must satisfy (§5.5). */
    public static final String BLOCK_VALIDATION_PATH = "/Channel/Orderer/BlockValidation";

    /** The only hashing algorithm Fabric 1.4 channels use. */
    public static final String SHA256 = "SHA256";
    /** The only {@code BlockDataHashingStructure} width Fabric 1.4 supports: {@code math.MaxUint32}. */
    public static final int BLOCK_DATA_HASHING_WIDTH = 0xFFFF_FFFF;
    /** Consensus type of the solo orderer. */
    public static final String SOLO = "solo";

    private ConfigKeys() {
    }

    /** {@code /Channel/Application/<org>/<policy>}: an application organisation's policy. */
    public static String applicationOrgPolicy(String organization, String policy) {
        return "/" + CHANNEL_GROUP + "/" + APPLICATION_GROUP + "/" + organization + "/" + policy;
    }

    /** {@code /Channel/Orderer/<org>/<policy>}: an orderer organisation's policy. */
    public static String ordererOrgPolicy(String organization, String policy) {
        return "/" + CHANNEL_GROUP + "/" + ORDERER_GROUP + "/" + organization + "/" + policy;
    }
}
