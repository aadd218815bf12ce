package dev.fabricembedded.orderer.channelconfig;

import org.hyperledger.fabric.protos.common.Capabilities;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Application-level capabilities (Fabric 1.4's {@code capabilities.ApplicationProvider}): {@code V1_1},
 * {@code V1_2}, {@code V1_3}, {@code V1_4_2}, and the experimental {@code V1_1_PVTDATA_EXPERIMENTAL} /
 * {@code V1_1_RESOURCETREE_EXPERIMENTAL}. The committer and LSCC read their behaviour flags from here
 * (duplicate txids in a block, private data, key-level endorsement, which validation rules apply). Immutable.
 */
public final class ApplicationCapabilities extends CapabilitySet {

    public static final String V1_1 = "V1_1";
    public static final String V1_2 = "V1_2";
    public static final String V1_3 = "V1_3";
    public static final String V1_4_2 = "V1_4_2";
    public static final String V1_1_PVTDATA_EXPERIMENTAL = "V1_1_PVTDATA_EXPERIMENTAL";
    public static final String V1_1_RESOURCETREE_EXPERIMENTAL = "V1_1_RESOURCETREE_EXPERIMENTAL";

    private static final Set<String> KNOWN = Set.of(V1_1, V1_2, V1_3, V1_4_2, V1_1_PVTDATA_EXPERIMENTAL,
            V1_1_RESOURCETREE_EXPERIMENTAL);

    /** What Fabric 1.4's sample configtx.yaml enables: {@code V1_4_2}. */
    public static final ApplicationCapabilities DEFAULT = of(V1_4_2);

    private ApplicationCapabilities(Collection<String> names) {
        super(names);
    }

    public static ApplicationCapabilities of(String... names) {
        return new ApplicationCapabilities(List.of(names));
    }

    public static ApplicationCapabilities of(Collection<String> names) {
        return new ApplicationCapabilities(names);
    }

    public static ApplicationCapabilities fromProto(Capabilities proto) {
        return new ApplicationCapabilities(names(proto));
    }

    @Override
    public String type() {
        return "Application";
    }

    @Override
    public boolean isKnown(String capability) {
        return KNOWN.contains(capability);
    }

    private boolean v11() {
        return has(V1_1);
    }

    private boolean v12() {
        return has(V1_2);
    }

    private boolean v13() {
        return has(V1_3);
    }

    private boolean v142() {
        return has(V1_4_2);
    }

    /** ACLs may be set in the application configuration (V1_2+). */
    public boolean acls() {
        return v12() || v13() || v142();
    }

    /** A second transaction with the same txid in one block is marked {@code DUPLICATE_TXID} (V1_1+). */
    public boolean forbidDuplicateTxIdInBlock() {
        return v11() || v12() || v13() || v142();
    }

    /** Private data collections are enabled (V1_2+, or the V1_1 experiment). */
    public boolean privateChannelData() {
        return has(V1_1_PVTDATA_EXPERIMENTAL) || v12() || v13() || v142();
    }

    /** Collections may be added or updated by a chaincode upgrade (V1_2+). */
    public boolean collectionUpgrade() {
        return v12() || v13() || v142();
    }

    /** Stricter validation introduced in v1.1. */
    public boolean v1_1Validation() {
        return v11() || v12() || v13() || v142();
    }

    /** Stricter validation introduced in v1.2. */
    public boolean v1_2Validation() {
        return v12() || v13() || v142();
    }

    /** Validation introduced in v1.3 (the key-level endorsement validator). */
    public boolean v1_3Validation() {
        return v13() || v142();
    }

    /** Key-level (state-based) endorsement policies (V1_3+). */
    public boolean keyLevelEndorsement() {
        return v13() || v142();
    }

    /** The peer stores private data of invalid transactions (V1_4_2). */
    public boolean storePvtDataOfInvalidTx() {
        return v142();
    }

    /** The v2 lifecycle's metadata; always {@code false} in 1.4. */
    public boolean metadataLifecycle() {
        return false;
    }
}
