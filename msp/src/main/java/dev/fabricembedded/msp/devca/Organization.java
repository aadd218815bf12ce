package dev.fabricembedded.msp.devca;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.Enrollment;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.NodeOUs;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.folder.MspFolder;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;

/**
 * A generated organisation, like one {@code cryptogen generate} entry: a root CA, and an admin
 * ({@code Admin@<domain>}, OU admin), a peer ({@code peer0.<domain>}, OU peer), a client ({@code User1@<domain>},
 * OU client) and an orderer ({@code orderer.<domain>}, OU orderer). Its MSP enables NodeOUs with those four OUs
 * certified by the CA, and declares no {@code admincerts} (admins are recognised by their OU, MSP v1.4.3 style).
 *
 * <p>Immutable and thread-safe.
 */
public final class Organization {

    private final String mspId;
    private final String domain;
    private final DevCa ca;
    private final Enrollment admin;
    private final Enrollment peer;
    private final Enrollment client;
    private final Enrollment orderer;
    private final MspConfig mspConfig;
    private final Msp msp;

    private Organization(String mspId, String domain, DevCa ca) {
        this.mspId = mspId;
        this.domain = domain;
        this.ca = ca;
        this.admin = ca.issue("Admin@" + domain, NodeRole.ADMIN);
        this.peer = ca.issue("peer0." + domain, NodeRole.PEER);
        this.client = ca.issue("User1@" + domain, NodeRole.CLIENT);
        this.orderer = ca.issue("orderer." + domain, NodeRole.ORDERER);
        this.mspConfig = MspConfig.builder(mspId).rootCert(ca.certificatePem())
                .nodeOUs(NodeOUs.standard(ca.certificatePem())).build();
        this.msp = Msp.create(mspConfig);
    }

    /**
     * Generates an organisation with default validity (CA from 30 days ago, identities from 5 minutes ago, both
     * for 10 years).
     *
     * @param mspId  the MSP ID, e.g. {@code Org1MSP}
     * @param domain the domain, e.g. {@code org1.example.com}
     */
    public static Organization generate(String mspId, String domain) {
        return new Organization(Objects.requireNonNull(mspId, "mspId"), Objects.requireNonNull(domain, "domain"),
                DevCa.createRoot(domain));
    }

    /** Generates an organisation whose CA has the given validity window and random source. */
    public static Organization generate(String mspId, String domain, Instant caNotBefore, Instant caNotAfter,
            SecureRandom random) {
        return new Organization(mspId, domain,
                DevCa.createRoot("ca." + domain, domain, caNotBefore, caNotAfter, random));
    }

    public String mspId() {
        return mspId;
    }

    public String domain() {
        return domain;
    }

    /** The organisation's CA, to issue more identities or CRLs. */
    public DevCa ca() {
        return ca;
    }

    public Enrollment admin() {
        return admin;
    }

    public Enrollment peer() {
        return peer;
    }

    public Enrollment client() {
        return client;
    }

    public Enrollment orderer() {
        return orderer;
    }

    /** The enrollment of a role. */
    public Enrollment enrollment(NodeRole role) {
        return switch (role) {
            case ADMIN -> admin;
            case PEER -> peer;
            case CLIENT -> client;
            case ORDERER -> orderer;
        };
    }

    /** The verifying MSP configuration (root CA, NodeOUs). */
    public MspConfig mspConfig() {
        return mspConfig;
    }

    /** The configuration with CRLs added, e.g. {@code mspConfigWithCrls(ca().revoke(client()))}. */
    public MspConfig mspConfigWithCrls(ByteString... crls) {
        MspConfig.Builder builder = mspConfig.toBuilder();
        for (ByteString crl : crls) {
            builder.revocationList(crl);
        }
        return builder.build();
    }

    /** The organisation's MSP. */
    public Msp msp() {
        return msp;
    }

    /** The signing identity of a role under {@link #msp()}. */
    public SigningIdentity signer(NodeRole role) {
        return msp.signingIdentity(enrollment(role));
    }

    /** A signing identity for any enrollment of this organisation under {@link #msp()}. */
    public SigningIdentity signer(Enrollment enrollment) {
        return msp.signingIdentity(enrollment);
    }

    /**
     * Writes the organisation in cryptogen's layout under {@code directory} (which must not exist or be empty):
     * {@code ca/}, the verifying {@code msp/}, and one MSP folder per identity under
     * {@code peers/peer0.<domain>/msp}, {@code orderers/orderer.<domain>/msp}, {@code users/Admin@<domain>/msp}
     * and {@code users/User1@<domain>/msp}. The tree is written to a temporary sibling and moved into place, so a
     * failure leaves nothing behind.
     */
    public void writeTo(Path directory) {
        MspFolder.writeAtomically(directory, root -> {
            MspFolder.writeCa(root.resolve("ca"), ca.certificatePem(), ca.keyPair(), "ca." + domain);
            MspFolder.write(root.resolve("msp"), mspConfig, null);
            for (NodeRole role : NodeRole.values()) {
                MspFolder.write(mspFolder(root, role), mspConfig, enrollment(role));
            }
        });
    }

    /** Path of a role's MSP folder inside a directory written by {@link #writeTo(Path)}. */
    public Path mspFolder(Path directory, NodeRole role) {
        return switch (role) {
            case PEER -> directory.resolve("peers").resolve("peer0." + domain).resolve("msp");
            case ORDERER -> directory.resolve("orderers").resolve("orderer." + domain).resolve("msp");
            case ADMIN -> directory.resolve("users").resolve("Admin@" + domain).resolve("msp");
            case CLIENT -> directory.resolve("users").resolve("User1@" + domain).resolve("msp");
        };
    }

    @Override
    public String toString() {
        return "Organization[" + mspId + ", " + domain + "]";
    }
}
