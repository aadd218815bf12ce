package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;

/**
 * NodeOU classification (Fabric's {@code FabricNodeOUs}, MSP v1.4.3 semantics): when enabled, every valid
 * identity carries exactly one of the configured client, peer, admin or orderer OUs, and role principals
 * (CLIENT, PEER, ADMIN, ORDERER) are decided by that OU. Unset identifiers are {@code null}; with none set,
 * classification is off even when {@code enabled} is true, as in Fabric.
 *
 * @param enabled whether classification is on
 * @param client  the client OU, or {@code null}
 * @param peer    the peer OU, or {@code null}
 * @param admin   the admin OU, or {@code null}
 * @param orderer the orderer OU, or {@code null}
 */
public record NodeOUs(boolean enabled, OuIdentifier client, OuIdentifier peer, OuIdentifier admin,
        OuIdentifier orderer) {

    /** Classification off. */
    public static final NodeOUs DISABLED = new NodeOUs(false, null, null, null, null);

    /**
     * The layout cryptogen and fabric-ca write: OUs {@code client}, {@code peer}, {@code admin}, {@code orderer},
     * each certified by the given CA certificate (PEM; empty for no restriction).
     */
    public static NodeOUs standard(ByteString caCertificatePem) {
        return new NodeOUs(true, new OuIdentifier("client", caCertificatePem),
                new OuIdentifier("peer", caCertificatePem), new OuIdentifier("admin", caCertificatePem),
                new OuIdentifier("orderer", caCertificatePem));
    }
}
