package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.FabricNodeOUs;
import org.hyperledger.fabric.protos.msp.FabricOUIdentifier;
import org.hyperledger.fabric.protos.msp.MSPConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The verifying configuration of an X.509 MSP (Fabric's {@code FabricMSPConfig} without the local signing
 * identity): its name, root and intermediate CA certificates, admin certificates, CRLs, OU identifiers and NodeOU
 * classification. Certificates and CRLs are kept as the PEM bytes Fabric puts in channel configuration.
 *
 * <p>Immutable; build with {@link #builder(String)}, or convert from and to the protobuf carried in channel
 * configuration blocks ({@link #fromProto(FabricMSPConfig)}, {@link #toProto()}).
 */
public final class MspConfig {

    private static final String SHA2 = "SHA2";
    private static final String SHA256 = "SHA256";

    private final String name;
    private final List<ByteString> rootCerts;
    private final List<ByteString> intermediateCerts;
    private final List<ByteString> admins;
    private final List<ByteString> revocationLists;
    private final List<OuIdentifier> organizationalUnitIdentifiers;
    private final NodeOUs nodeOUs;
    private final List<ByteString> tlsRootCerts;
    private final List<ByteString> tlsIntermediateCerts;

    private MspConfig(Builder b) {
        this.name = b.name;
        this.rootCerts = List.copyOf(b.rootCerts);
        this.intermediateCerts = List.copyOf(b.intermediateCerts);
        this.admins = List.copyOf(b.admins);
        this.revocationLists = List.copyOf(b.revocationLists);
        this.organizationalUnitIdentifiers = List.copyOf(b.organizationalUnitIdentifiers);
        this.nodeOUs = b.nodeOUs;
        this.tlsRootCerts = List.copyOf(b.tlsRootCerts);
        this.tlsIntermediateCerts = List.copyOf(b.tlsIntermediateCerts);
    }

    /** A builder for the MSP with the given name (its MSP ID, e.g. {@code Org1MSP}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder initialised with this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.rootCerts.addAll(rootCerts);
        b.intermediateCerts.addAll(intermediateCerts);
        b.admins.addAll(admins);
        b.revocationLists.addAll(revocationLists);
        b.organizationalUnitIdentifiers.addAll(organizationalUnitIdentifiers);
        b.nodeOUs = nodeOUs;
        b.tlsRootCerts.addAll(tlsRootCerts);
        b.tlsIntermediateCerts.addAll(tlsIntermediateCerts);
        return b;
    }

    public String name() {
        return name;
    }

    public List<ByteString> rootCerts() {
        return rootCerts;
    }

    public List<ByteString> intermediateCerts() {
        return intermediateCerts;
    }

    public List<ByteString> admins() {
        return admins;
    }

    public List<ByteString> revocationLists() {
        return revocationLists;
    }

    public List<OuIdentifier> organizationalUnitIdentifiers() {
        return organizationalUnitIdentifiers;
    }

    /** NodeOU classification; {@link NodeOUs#DISABLED} when not configured. */
    public NodeOUs nodeOUs() {
        return nodeOUs;
    }

    public List<ByteString> tlsRootCerts() {
        return tlsRootCerts;
    }

    public List<ByteString> tlsIntermediateCerts() {
        return tlsIntermediateCerts;
    }

    /**
     * Reads the protobuf form. Only SHA-256 identity identifiers and the SHA2 signature family (Fabric's defaults)
     * are supported.
     *
     * @throws IllegalArgumentException for another crypto configuration
     */
    public static MspConfig fromProto(FabricMSPConfig proto) {
        Objects.requireNonNull(proto, "proto");
        if (proto.hasCryptoConfig()) {
            String family = proto.getCryptoConfig().getSignatureHashFamily();
            String idHash = proto.getCryptoConfig().getIdentityIdentifierHashFunction();
            if (!(family.isEmpty() || SHA2.equals(family)) || !(idHash.isEmpty() || SHA256.equals(idHash))) {
                throw new IllegalArgumentException("MSP " + proto.getName() + ": unsupported crypto config (signature "
                        + "hash family '" + family + "', identity identifier hash '" + idHash
                        + "'); only SHA2/SHA256 is supported");
            }
        }
        Builder b = builder(proto.getName());
        b.rootCerts.addAll(proto.getRootCertsList());
        b.intermediateCerts.addAll(proto.getIntermediateCertsList());
        b.admins.addAll(proto.getAdminsList());
        b.revocationLists.addAll(proto.getRevocationListList());
        for (FabricOUIdentifier ou : proto.getOrganizationalUnitIdentifiersList()) {
            b.organizationalUnitIdentifiers.add(new OuIdentifier(ou.getOrganizationalUnitIdentifier(),
                    ou.getCertificate()));
        }
        if (proto.hasFabricNodeOus()) {
            FabricNodeOUs n = proto.getFabricNodeOus();
            b.nodeOUs = new NodeOUs(n.getEnable(),
                    n.hasClientOuIdentifier() ? fromProto(n.getClientOuIdentifier()) : null,
                    n.hasPeerOuIdentifier() ? fromProto(n.getPeerOuIdentifier()) : null,
                    n.hasAdminOuIdentifier() ? fromProto(n.getAdminOuIdentifier()) : null,
                    n.hasOrdererOuIdentifier() ? fromProto(n.getOrdererOuIdentifier()) : null);
        }
        b.tlsRootCerts.addAll(proto.getTlsRootCertsList());
        b.tlsIntermediateCerts.addAll(proto.getTlsIntermediateCertsList());
        return b.build();
    }

    /**
     * Reads an {@code MSPConfig} envelope (the value of a channel's {@code MSP} config item).
     *
     * @throws IllegalArgumentException when the type is not FABRIC (0) or the config does not parse
     */
    public static MspConfig fromMspConfigProto(MSPConfig envelope) {
        if (envelope.getType() != 0) {
            throw new IllegalArgumentException("MSP type " + envelope.getType() + " is not supported (only FABRIC, 0)");
        }
        try {
            return fromProto(FabricMSPConfig.parseFrom(envelope.getConfig()));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("could not unmarshal FabricMSPConfig: " + e.getMessage(), e);
        }
    }

    /** The protobuf form, as a channel configuration carries it. */
    public FabricMSPConfig toProto() {
        FabricMSPConfig.Builder p = FabricMSPConfig.newBuilder().setName(name).addAllRootCerts(rootCerts)
                .addAllIntermediateCerts(intermediateCerts).addAllAdmins(admins).addAllRevocationList(revocationLists)
                .addAllTlsRootCerts(tlsRootCerts).addAllTlsIntermediateCerts(tlsIntermediateCerts);
        for (OuIdentifier ou : organizationalUnitIdentifiers) {
            p.addOrganizationalUnitIdentifiers(toProto(ou));
        }
        p.setCryptoConfig(org.hyperledger.fabric.protos.msp.FabricCryptoConfig.newBuilder()
                .setSignatureHashFamily(SHA2).setIdentityIdentifierHashFunction(SHA256));
        if (nodeOUs.enabled() || nodeOUs.client() != null || nodeOUs.peer() != null || nodeOUs.admin() != null
                || nodeOUs.orderer() != null) {
            FabricNodeOUs.Builder n = FabricNodeOUs.newBuilder().setEnable(nodeOUs.enabled());
            if (nodeOUs.client() != null) {
                n.setClientOuIdentifier(toProto(nodeOUs.client()));
            }
            if (nodeOUs.peer() != null) {
                n.setPeerOuIdentifier(toProto(nodeOUs.peer()));
            }
            if (nodeOUs.admin() != null) {
                n.setAdminOuIdentifier(toProto(nodeOUs.admin()));
            }
            if (nodeOUs.orderer() != null) {
                n.setOrdererOuIdentifier(toProto(nodeOUs.orderer()));
            }
            p.setFabricNodeOus(n);
        }
        return p.build();
    }

    /** The {@code MSPConfig} envelope (type FABRIC) holding {@link #toProto()}. */
    public MSPConfig toMspConfigProto() {
        return MSPConfig.newBuilder().setType(0).setConfig(toProto().toByteString()).build();
    }

    private static OuIdentifier fromProto(FabricOUIdentifier ou) {
        return new OuIdentifier(ou.getOrganizationalUnitIdentifier(), ou.getCertificate());
    }

    private static FabricOUIdentifier toProto(OuIdentifier ou) {
        return FabricOUIdentifier.newBuilder().setOrganizationalUnitIdentifier(ou.organizationalUnit())
                .setCertificate(ou.certificate()).build();
    }

    @Override
    public String toString() {
        return "MspConfig[" + name + ", roots=" + rootCerts.size() + ", intermediates=" + intermediateCerts.size()
                + ", admins=" + admins.size() + ", crls=" + revocationLists.size() + ", nodeOUs="
                + nodeOUs.enabled() + "]";
    }

    /** Builder for {@link MspConfig}; defaults: no certificates, NodeOUs disabled. */
    public static final class Builder {
        private final String name;
        private final List<ByteString> rootCerts = new ArrayList<>();
        private final List<ByteString> intermediateCerts = new ArrayList<>();
        private final List<ByteString> admins = new ArrayList<>();
        private final List<ByteString> revocationLists = new ArrayList<>();
        private final List<OuIdentifier> organizationalUnitIdentifiers = new ArrayList<>();
        private NodeOUs nodeOUs = NodeOUs.DISABLED;
        private final List<ByteString> tlsRootCerts = new ArrayList<>();
        private final List<ByteString> tlsIntermediateCerts = new ArrayList<>();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("MSP name must not be empty");
            }
        }

        /** Adds a root CA certificate (PEM). */
        public Builder rootCert(ByteString pem) {
            rootCerts.add(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        /** Adds an intermediate CA certificate (PEM). */
        public Builder intermediateCert(ByteString pem) {
            intermediateCerts.add(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        /** Adds an admin certificate (PEM); admins are matched by byte equality of the certificate. */
        public Builder adminCert(ByteString pem) {
            admins.add(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        /** Adds a CRL (PEM or DER). */
        public Builder revocationList(ByteString crl) {
            revocationLists.add(Objects.requireNonNull(crl, "crl"));
            return this;
        }

        /** Restricts valid identities to those carrying one of the configured OUs. */
        public Builder organizationalUnitIdentifier(OuIdentifier ou) {
            organizationalUnitIdentifiers.add(Objects.requireNonNull(ou, "ou"));
            return this;
        }

        /** Sets NodeOU classification. */
        public Builder nodeOUs(NodeOUs nodeOUs) {
            this.nodeOUs = Objects.requireNonNull(nodeOUs, "nodeOUs");
            return this;
        }

        /** Adds a TLS root CA certificate (PEM); carried in configuration, not used for identity validation. */
        public Builder tlsRootCert(ByteString pem) {
            tlsRootCerts.add(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        /** Adds a TLS intermediate CA certificate (PEM); carried, not used for identity validation. */
        public Builder tlsIntermediateCert(ByteString pem) {
            tlsIntermediateCerts.add(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        public MspConfig build() {
            return new MspConfig(this);
        }
    }
}
