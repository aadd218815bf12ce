package dev.fabricembedded.msp.devca;

/**
 * The node classification of an identity, written as the certificate's OU (Fabric NodeOUs).
 */
public enum NodeRole {
    /** A client application or user. */
    CLIENT("client"),
    /** A peer. */
    PEER("peer"),
    /** An organisation administrator (MSP v1.4.3 admin OU). */
    ADMIN("admin"),
    /** An ordering service node. */
    ORDERER("orderer");

    private final String organizationalUnit;

    NodeRole(String organizationalUnit) {
        this.organizationalUnit = organizationalUnit;
    }

    /** The OU value cryptogen and fabric-ca use for this role. */
    public String organizationalUnit() {
        return organizationalUnit;
    }
}
