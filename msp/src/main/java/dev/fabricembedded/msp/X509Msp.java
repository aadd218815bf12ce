package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.crypto.EcdsaSignature;
import dev.fabricembedded.msp.crypto.EcdsaSigner;
import dev.fabricembedded.msp.crypto.EcdsaVerifier;
import dev.fabricembedded.msp.crypto.Pem;
import dev.fabricembedded.msp.crypto.PemBlock;
import dev.fabricembedded.msp.crypto.Sha256;
import dev.fabricembedded.msp.x509.CertPool;
import dev.fabricembedded.msp.x509.RevocationList;
import dev.fabricembedded.msp.x509.X509Cert;
import org.hyperledger.fabric.protos.common.MSPIdentityAnonymity;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Fabric 1.4's X.509 MSP ({@code msp/mspimpl*.go}, MSP version 1.4.3): setup checks, identity deserialization with
 * certificate sanitisation, validation and principal satisfaction, with Fabric's messages.
 *
 * <p>All state is computed in the constructor and never changes, so any thread may use an instance.
 */
final class X509Msp implements Msp {

    private static final Logger LOG = LoggerFactory.getLogger(X509Msp.class);

    /** One OU of a certificate with the identifier of the chain that certified it. */
    private record CertifiedOu(String organizationalUnit, byte[] certifiersIdentifier) {
        @Override
        public String toString() {
            byte[] id = certifiersIdentifier;
            return organizationalUnit + "(" + HexFormat.of().withUpperCase()
                    .formatHex(id, 0, Math.min(8, id.length)) + ")";
        }
    }

    /** A configured node OU: its value and, when restricted, the certifiers identifier. */
    private record NodeOu(String organizationalUnit, byte[] certifiersIdentifier) {
    }

    private final String name;
    private final MspConfig config;
    private final CertPool pool;
    private final Set<ByteBuffer> internalNodes;
    private final List<RevocationList> crls;
    private final Map<String, List<byte[]>> ouIdentifiers;
    private final boolean ouEnforcement;
    private final NodeOu clientOu;
    private final NodeOu peerOu;
    private final NodeOu adminOu;
    private final NodeOu ordererOu;
    private final Map<String, NodeOu> nodeOusByName;
    private final List<X509Identity> admins;

    X509Msp(MspConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.name = config.name();
        try {
            // setupCAs: sanitise roots and intermediates against a preliminary pool, then rebuild the pool
            if (config.rootCerts().isEmpty()) {
                throw new IllegalArgumentException("expected at least one CA certificate");
            }
            List<X509Cert> rawRoots = parseCaCerts(config.rootCerts());
            List<X509Cert> rawIntermediates = parseCaCerts(config.intermediateCerts());
            CertPool preliminary = new CertPool(rawRoots, rawIntermediates);
            List<X509Cert> roots = new ArrayList<>(rawRoots.size());
            for (X509Cert cert : rawRoots) {
                roots.add(sanitize(cert, preliminary));
            }
            List<X509Cert> intermediates = new ArrayList<>(rawIntermediates.size());
            for (X509Cert cert : rawIntermediates) {
                intermediates.add(sanitize(cert, preliminary));
            }
            this.pool = new CertPool(roots, intermediates);

            // setupCRLs
            List<RevocationList> lists = new ArrayList<>(config.revocationLists().size());
            for (ByteString crl : config.revocationLists()) {
                RevocationList list = RevocationList.parse(crl.toByteArray());
                if (list.authorityKeyIdentifier() == null) {
                    // Fabric would fail every later validation with this text; fail at setup instead
                    throw new IllegalArgumentException("could not obtain Authority Key Identifier for crl: "
                            + "authorityKeyIdentifier not found in certificate");
                }
                lists.add(list);
            }
            this.crls = List.copyOf(lists);

            // finalizeSetupCAs
            List<X509Cert> cas = new ArrayList<>(roots);
            cas.addAll(intermediates);
            for (X509Cert ca : cas) {
                checkCaCertificate(ca);
            }
            Set<ByteBuffer> internal = new HashSet<>();
            for (X509Cert intermediate : intermediates) {
                List<X509Cert> chain = uniqueChain(intermediate);
                for (int i = 1; i < chain.size(); i++) {
                    internal.add(ByteBuffer.wrap(chain.get(i).raw()));
                }
            }
            this.internalNodes = Set.copyOf(internal);

            // setupOUs
            Map<String, List<byte[]>> ous = new LinkedHashMap<>();
            for (OuIdentifier ou : config.organizationalUnitIdentifiers()) {
                byte[] certifiers;
                try {
                    certifiers = certifiersIdentifier(ou.certificate());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("failed getting certificate for [" + ou.organizationalUnit()
                            + "]: " + e.getMessage(), e);
                }
                List<byte[]> ids = ous.computeIfAbsent(ou.organizationalUnit(), k -> new ArrayList<>(1));
                if (ids.stream().noneMatch(id -> Arrays.equals(id, certifiers))) {
                    ids.add(certifiers);
                } else {
                    LOG.warn("MSP {}: duplicate OU identifier {}", name, ou.organizationalUnit());
                }
            }
            ous.replaceAll((k, v) -> List.copyOf(v));
            this.ouIdentifiers = Map.copyOf(ous);

            // setupNodeOUsV142
            NodeOUs nodeOUs = config.nodeOUs();
            this.clientOu = nodeOu(nodeOUs.client());
            this.peerOu = nodeOu(nodeOUs.peer());
            this.adminOu = nodeOu(nodeOUs.admin());
            this.ordererOu = nodeOu(nodeOUs.orderer());
            boolean anyNodeOu = clientOu != null || peerOu != null || adminOu != null || ordererOu != null;
            this.ouEnforcement = nodeOUs.enabled() && anyNodeOu;
            Map<String, NodeOu> byName = new HashMap<>();
            for (NodeOu ou : new NodeOu[] {clientOu, peerOu, adminOu, ordererOu}) {
                if (ou != null) {
                    byName.put(ou.organizationalUnit(), ou);
                }
            }
            this.nodeOusByName = Map.copyOf(byName);

            // setupAdminsV142
            List<X509Identity> adminIdentities = new ArrayList<>(config.admins().size());
            for (ByteString adminPem : config.admins()) {
                try {
                    adminIdentities.add(deserializeIdBytes(adminPem, serialize(adminPem)));
                } catch (InvalidIdentityException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            }
            this.admins = List.copyOf(adminIdentities);
            if (admins.isEmpty() && (!ouEnforcement || adminOu == null)) {
                throw new IllegalArgumentException("administrators must be declared when no admin ou classification "
                        + "is set");
            }

            // postSetupV142
            for (int i = 0; i < admins.size(); i++) {
                X509Identity admin = admins.get(i);
                if (!ouEnforcement) {
                    ValidationResult valid = admin.validation();
                    if (!valid.isValid()) {
                        throw new IllegalArgumentException("admin " + i + " is invalid: " + valid.message());
                    }
                } else {
                    ValidationResult asClient = hasOuRole(admin, MSPRole.MSPRoleType.CLIENT);
                    ValidationResult asAdmin = hasOuRole(admin, MSPRole.MSPRoleType.ADMIN);
                    if (!asClient.isValid() && !asAdmin.isValid()) {
                        throw new IllegalArgumentException("admin " + i + " is invalid [" + asClient.message() + ","
                                + asAdmin.message() + "]");
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("could not set up MSP " + name + ": " + e.getMessage(), e);
        }
        LOG.debug("MSP {} set up: {}", name, config);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MspConfig config() {
        return config;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Deserialization

    @Override
    public Identity deserializeIdentity(ByteString serializedIdentity) {
        SerializedIdentity parsed = parseSerialized(serializedIdentity);
        if (!parsed.getMspid().equals(name)) {
            throw new InvalidIdentityException(InvalidIdentityException.Reason.MSP_MISMATCH,
                    "expected MSP ID " + name + ", received " + parsed.getMspid());
        }
        return deserializeIdBytes(parsed.getIdBytes(), serializedIdentity);
    }

    static SerializedIdentity parseSerialized(ByteString serializedIdentity) {
        Objects.requireNonNull(serializedIdentity, "serializedIdentity");
        try {
            return SerializedIdentity.parseFrom(serializedIdentity);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidIdentityException(InvalidIdentityException.Reason.MALFORMED_SERIALIZED_IDENTITY,
                    "could not deserialize a SerializedIdentity: " + e.getMessage(), e);
        }
    }

    /** Fabric's {@code deserializeIdentityInternal}: PEM, certificate, public key, sanitisation, identity id. */
    X509Identity deserializeIdBytes(ByteString idBytes, ByteString serialized) {
        PemBlock block = Pem.decode(idBytes.toByteArray());
        if (block == null) {
            throw new InvalidIdentityException(InvalidIdentityException.Reason.BAD_PEM,
                    "could not decode the PEM structure");
        }
        X509Cert cert;
        try {
            cert = X509Cert.parse(block.content());
        } catch (IllegalArgumentException e) {
            String kind = "CERTIFICATE".equals(block.type()) ? ""
                    : "PEM block of type '" + block.type() + "' does not hold a certificate: ";
            throw new InvalidIdentityException(InvalidIdentityException.Reason.BAD_CERTIFICATE,
                    "parseCertificate failed: " + kind + e.getMessage(), e);
        }
        if (cert.ecPublicKey() == null) {
            throw new InvalidIdentityException(InvalidIdentityException.Reason.UNSUPPORTED_KEY,
                    "failed to import certificate's public key: " + cert.publicKeyError());
        }
        CertPool.Chains chains = pool.chains(cert, validationTime(cert));
        X509Cert sanitized = cert;
        if (cert.isEcdsaSigned()) {
            if (!chains.found()) {
                throw new InvalidIdentityException(InvalidIdentityException.Reason.UNTRUSTED_CERTIFICATE,
                        "the supplied identity is not valid: " + chains.error());
            }
            if (chains.chains().size() != 1) {
                throw new InvalidIdentityException(InvalidIdentityException.Reason.UNTRUSTED_CERTIFICATE,
                        "this MSP only supports a single validation chain, got " + chains.chains().size());
            }
            List<X509Cert> chain = chains.chains().get(0);
            X509Cert parent = chain.size() == 1 ? cert : chain.get(1);
            try {
                sanitized = cert.withLowSSignature(parent);
            } catch (IllegalArgumentException e) {
                throw new InvalidIdentityException(InvalidIdentityException.Reason.BAD_CERTIFICATE,
                        "sanitizeCert failed: " + e.getMessage(), e);
            }
        }
        MessageDigest digest = Sha256.newDigest();
        sanitized.updateDigest(digest);
        String id = HexFormat.of().formatHex(digest.digest());
        return new X509Identity(this, sanitized, id, serialized, new EcdsaVerifier(sanitized.ecPublicKey()), chains);
    }

    @Override
    public ValidationResult isWellFormed(ByteString serializedIdentity) {
        return checkWellFormed(serializedIdentity);
    }

    /** Fabric's {@code IsWellFormed} for X.509 identities. */
    static ValidationResult checkWellFormed(ByteString serializedIdentity) {
        SerializedIdentity parsed;
        try {
            parsed = parseSerialized(serializedIdentity);
        } catch (InvalidIdentityException e) {
            return malformed(e.getMessage());
        }
        byte[] pem = parsed.getIdBytes().toByteArray();
        PemBlock block = Pem.decode(pem);
        if (block == null) {
            return malformed("PEM decoding resulted in an empty block");
        }
        if (Pem.hasTrailingBytes(pem, block)) {
            return malformed("identity for MSP " + parsed.getMspid() + " has trailing bytes");
        }
        if (!block.type().equals("CERTIFICATE") && !block.type().isEmpty()) {
            return malformed("pem type is " + block.type() + ", should be 'CERTIFICATE' or missing");
        }
        X509Cert cert;
        try {
            cert = X509Cert.parse(block.content());
        } catch (IllegalArgumentException e) {
            return malformed(e.getMessage());
        }
        if (cert.isEcdsaSigned()) {
            byte[] signature = cert.signature();
            try {
                EcdsaSignature decoded = EcdsaSignature.fromDer(signature);
                if (!Arrays.equals(decoded.toDer(), signature)) {
                    return malformed("identity for MSP " + parsed.getMspid() + " has a non canonical signature");
                }
            } catch (IllegalArgumentException e) {
                return malformed(e.getMessage());
            }
        }
        return ValidationResult.valid();
    }

    private static ValidationResult malformed(String message) {
        return ValidationResult.failure(ValidationResult.Code.MALFORMED_IDENTITY, message);
    }

    @Override
    public SigningIdentity signingIdentity(Enrollment enrollment) {
        Objects.requireNonNull(enrollment, "enrollment");
        X509Identity identity = deserializeIdBytes(enrollment.certificatePem(), serialize(enrollment.certificatePem()));
        if (!enrollment.keyPair().matches(identity.certificate().ecPublicKey())) {
            throw new IllegalArgumentException("the private key does not match the public key of certificate "
                    + identity.certificate().subject());
        }
        return new X509SigningIdentity(identity, new EcdsaSigner(enrollment.keyPair().privateKey()));
    }

    private ByteString serialize(ByteString certificatePem) {
        return SerializedIdentity.newBuilder().setMspid(name).setIdBytes(certificatePem).build().toByteString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Validation

    @Override
    public ValidationResult validate(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        X509Identity own = own(identity);
        if (own != null) {
            return own.validation();
        }
        X509Cert cert = identity.certificate();
        return validateFresh(cert, pool.chains(cert, validationTime(cert)));
    }

    private X509Identity own(Identity identity) {
        Identity inner = identity instanceof X509SigningIdentity signing ? signing.identity() : identity;
        return inner instanceof X509Identity x && x.msp() == this ? x : null;
    }

    /** Fabric's {@code validateIdentity}, given the chain search for the certificate. */
    ValidationResult validateFresh(X509Cert cert, CertPool.Chains chains) {
        if (cert.isCa()) {
            return chainFailure("An X509 certificate with Basic Constraint: Certificate Authority equals true cannot "
                    + "be used as an identity");
        }
        if (!chains.found()) {
            return chainFailure("failed getting validation chain: the supplied identity is not valid: "
                    + chains.error());
        }
        if (chains.chains().size() != 1) {
            return chainFailure("failed getting validation chain: this MSP only supports a single validation chain, "
                    + "got " + chains.chains().size());
        }
        List<X509Cert> chain = chains.chains().get(0);
        if (chain.size() < 2) {
            return chainFailure("expected a chain of length at least 2, got " + chain.size());
        }
        if (isInternalNode(chain.get(1))) {
            return chainFailure("invalid validation chain. Parent certificate should be a leaf of the certification "
                    + "tree [" + chain.get(1).subject() + "]");
        }
        ValidationResult revocation = checkRevocation(cert, chain);
        if (!revocation.isValid()) {
            return revocation.wrap("could not validate identity against certification chain");
        }
        return validateOus(certifiedOus(cert, chain)).wrap("could not validate identity's OUs");
    }

    private static ValidationResult chainFailure(String message) {
        return ValidationResult.failure(ValidationResult.Code.INVALID_CHAIN,
                "could not obtain certification chain: " + message);
    }

    private boolean isInternalNode(X509Cert cert) {
        return internalNodes.contains(ByteBuffer.wrap(cert.raw()));
    }

    private ValidationResult checkRevocation(X509Cert cert, List<X509Cert> chain) {
        X509Cert signer = chain.get(1);
        byte[] ski = signer.subjectKeyIdentifier();
        if (ski == null) {
            return ValidationResult.failure(ValidationResult.Code.INVALID_CHAIN,
                    "could not obtain Subject Key Identifier for signer cert: subjectKeyIdentifier not found in "
                            + "certificate");
        }
        for (RevocationList crl : crls) {
            if (crl.isFromAuthority(ski) && crl.lists(cert.serialNumber())) {
                if (!crl.isSignedBy(signer)) {
                    LOG.warn("MSP {}: invalid signature over the identified CRL {}", name, crl);
                    continue;
                }
                return ValidationResult.failure(ValidationResult.Code.REVOKED, "The certificate has been revoked");
            }
        }
        return ValidationResult.valid();
    }

    private static List<CertifiedOu> certifiedOus(X509Cert cert, List<X509Cert> chain) {
        MessageDigest digest = Sha256.newDigest();
        for (int i = 1; i < chain.size(); i++) {
            chain.get(i).updateDigest(digest);
        }
        byte[] certifiers = digest.digest();
        List<CertifiedOu> ous = new ArrayList<>(cert.organizationalUnits().size());
        for (String ou : cert.organizationalUnits()) {
            ous.add(new CertifiedOu(ou, certifiers));
        }
        return ous;
    }

    private ValidationResult validateOus(List<CertifiedOu> ous) {
        if (!ouEnforcement) {
            return validateOusV1(ous);
        }
        int counter = 0;
        for (CertifiedOu ou : ous) {
            NodeOu nodeOu = nodeOusByName.get(ou.organizationalUnit());
            if (nodeOu == null) {
                continue;
            }
            if (nodeOu.certifiersIdentifier().length != 0
                    && !Arrays.equals(nodeOu.certifiersIdentifier(), ou.certifiersIdentifier())) {
                return ValidationResult.failure(ValidationResult.Code.INVALID_OUS,
                        "certifiersIdentifier does not match: " + format(ous) + ", MSP: [" + name + "]");
            }
            counter++;
            if (counter > 1) {
                break;
            }
        }
        if (counter != 1) {
            return ValidationResult.failure(ValidationResult.Code.INVALID_OUS,
                    "the identity must be a client, a peer, an orderer or an admin identity to be valid, not a "
                            + "combination of them. OUs: " + format(ous) + ", MSP: [" + name + "]");
        }
        return ValidationResult.valid();
    }

    private ValidationResult validateOusV1(List<CertifiedOu> ous) {
        if (ouIdentifiers.isEmpty()) {
            return ValidationResult.valid();
        }
        for (CertifiedOu ou : ous) {
            List<byte[]> certifiers = ouIdentifiers.get(ou.organizationalUnit());
            if (certifiers != null
                    && certifiers.stream().anyMatch(id -> Arrays.equals(id, ou.certifiersIdentifier()))) {
                return ValidationResult.valid();
            }
        }
        if (ous.isEmpty()) {
            return ValidationResult.failure(ValidationResult.Code.INVALID_OUS,
                    "the identity certificate does not contain an Organizational Unit (OU)");
        }
        return ValidationResult.failure(ValidationResult.Code.INVALID_OUS,
                "none of the identity's organizational units " + format(ous) + " are in MSP " + name);
    }

    private static String format(List<CertifiedOu> ous) {
        StringJoiner joiner = new StringJoiner(" ", "[", "]");
        ous.forEach(ou -> joiner.add(ou.toString()));
        return joiner.toString();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Principals

    @Override
    public ValidationResult satisfiesPrincipal(Identity identity, Principal principal) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(principal, "principal");
        List<Principal> principals = new ArrayList<>(1);
        collect(principal, principals);
        for (Principal single : principals) {
            ValidationResult result = satisfiesV143(identity, single);
            if (!result.isValid()) {
                return result;
            }
        }
        return ValidationResult.valid();
    }

    private static void collect(Principal principal, List<Principal> out) {
        if (principal instanceof Principal.Combined combined) {
            for (Principal part : combined.principals()) {
                collect(part, out);
            }
        } else {
            out.add(principal);
        }
    }

    private ValidationResult satisfiesV143(Identity identity, Principal principal) {
        if (ouEnforcement && principal instanceof Principal.Role role) {
            if (!role.mspId().equals(name)) {
                return differentMsp(role.mspId(), identity);
            }
            MSPRole.MSPRoleType type = role.role();
            if (type == MSPRole.MSPRoleType.ADMIN) {
                if (isInAdmins(identity)) {
                    return ValidationResult.valid();
                }
                ValidationResult valid = validate(identity);
                if (!valid.isValid()) {
                    return valid.wrap("The identity is not valid under this MSP [" + name + "]");
                }
                ValidationResult hasAdminOu = hasOuRole(identity, type);
                if (!hasAdminOu.isValid()) {
                    return ValidationResult.failure(ValidationResult.Code.NOT_ADMIN,
                            "The identity is not an admin under this MSP [" + name + "]: " + hasAdminOu.message());
                }
                return ValidationResult.valid();
            }
            if (type == MSPRole.MSPRoleType.ORDERER) {
                return validAndHasOuRole(identity, type);
            }
        }
        return satisfiesV13(identity, principal);
    }

    private ValidationResult satisfiesV13(Identity identity, Principal principal) {
        if (principal instanceof Principal.Anonymity anonymity) {
            if (anonymity.typeValue() == MSPIdentityAnonymity.MSPIdentityAnonymityType.NOMINAL_VALUE) {
                return ValidationResult.valid();
            }
            if (anonymity.typeValue() == MSPIdentityAnonymity.MSPIdentityAnonymityType.ANONYMOUS_VALUE) {
                return ValidationResult.failure(ValidationResult.Code.ANONYMITY_NOT_SUPPORTED,
                        "Principal is an anonymous identity, but X509 MSP does not support anonymous identities");
            }
            return ValidationResult.failure(ValidationResult.Code.INVALID_PRINCIPAL,
                    "Unknown principal anonymity type: " + anonymity.typeValue());
        }
        return satisfiesPreV13(identity, principal);
    }

    private ValidationResult satisfiesPreV13(Identity identity, Principal principal) {
        if (principal instanceof Principal.Role role) {
            if (!role.mspId().equals(name)) {
                return differentMsp(role.mspId(), identity);
            }
            return switch (role.role()) {
                case MEMBER -> validate(identity);
                case ADMIN -> isInAdmins(identity) ? ValidationResult.valid()
                        : ValidationResult.failure(ValidationResult.Code.NOT_ADMIN, "This identity is not an admin");
                case CLIENT, PEER -> validAndHasOuRole(identity, role.role());
                default -> ValidationResult.failure(ValidationResult.Code.INVALID_PRINCIPAL,
                        "invalid MSP role type " + role.roleValue());
            };
        }
        if (principal instanceof Principal.SpecificIdentity specific) {
            Identity expected;
            try {
                expected = deserializeIdentity(specific.serializedIdentity());
            } catch (InvalidIdentityException e) {
                return ValidationResult.failure(ValidationResult.Code.INVALID_PRINCIPAL,
                        "invalid identity principal, not a certificate: " + e.getMessage());
            }
            if (identity.certificate().sameEncodingAs(expected.certificate())) {
                return validate(expected);
            }
            return ValidationResult.failure(ValidationResult.Code.IDENTITY_MISMATCH, "The identities do not match");
        }
        if (principal instanceof Principal.OrganizationUnit unit) {
            if (!unit.mspId().equals(name)) {
                return differentMsp(unit.mspId(), identity);
            }
            ValidationResult valid = validate(identity);
            if (!valid.isValid()) {
                return valid;
            }
            byte[] certifiers = unit.certifiersIdentifier().toByteArray();
            for (CertifiedOu ou : certifiedOus(identity)) {
                if (ou.organizationalUnit().equals(unit.organizationalUnit())
                        && Arrays.equals(ou.certifiersIdentifier(), certifiers)) {
                    return ValidationResult.valid();
                }
            }
            return ValidationResult.failure(ValidationResult.Code.IDENTITY_MISMATCH, "The identities do not match");
        }
        if (principal instanceof Principal.Unparsable unparsable) {
            return ValidationResult.failure(ValidationResult.Code.INVALID_PRINCIPAL, unparsable.error());
        }
        return ValidationResult.failure(ValidationResult.Code.INVALID_PRINCIPAL,
                "invalid principal type " + principal.toProto().getPrincipalClassificationValue());
    }

    private List<CertifiedOu> certifiedOus(Identity identity) {
        X509Identity own = own(identity);
        X509Cert cert = identity.certificate();
        CertPool.Chains chains = own != null ? own.chains() : pool.chains(cert, validationTime(cert));
        if (!chains.found() || chains.chains().size() != 1) {
            return List.of();
        }
        return certifiedOus(cert, chains.chains().get(0));
    }

    private ValidationResult validAndHasOuRole(Identity identity, MSPRole.MSPRoleType role) {
        ValidationResult valid = validate(identity);
        if (!valid.isValid()) {
            return valid.wrap("The identity is not valid under this MSP [" + name + "]");
        }
        return hasOuRole(identity, role).wrap("The identity is not a [" + role.name() + "] under this MSP [" + name
                + "]");
    }

    private ValidationResult hasOuRole(Identity identity, MSPRole.MSPRoleType role) {
        if (!ouEnforcement) {
            return ValidationResult.failure(ValidationResult.Code.NODE_OUS_DISABLED,
                    "NodeOUs not activated. Cannot tell apart identities.");
        }
        NodeOu nodeOu = switch (role) {
            case CLIENT -> clientOu;
            case PEER -> peerOu;
            case ADMIN -> adminOu;
            case ORDERER -> ordererOu;
            default -> null;
        };
        if (nodeOu == null) {
            return ValidationResult.failure(ValidationResult.Code.ROLE_NOT_HELD, "cannot test for classification, "
                    + "node ou for type [" + role.name() + "], not defined, msp: [" + name + "]");
        }
        if (identity.organizationalUnits().contains(nodeOu.organizationalUnit())) {
            return ValidationResult.valid();
        }
        return ValidationResult.failure(ValidationResult.Code.ROLE_NOT_HELD,
                "The identity does not contain OU [" + role.name() + "], MSP: [" + name + "]");
    }

    private boolean isInAdmins(Identity identity) {
        X509Cert cert = identity.certificate();
        for (X509Identity admin : admins) {
            if (admin.certificate().sameEncodingAs(cert)) {
                return true;
            }
        }
        return false;
    }

    private ValidationResult differentMsp(String expected, Identity identity) {
        return ValidationResult.failure(ValidationResult.Code.DIFFERENT_MSP,
                "the identity is a member of a different MSP (expected " + expected + ", got " + identity.mspId()
                        + ")");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Setup helpers

    private static java.time.Instant validationTime(X509Cert cert) {
        return cert.notBefore().plusSeconds(1);
    }

    private static List<X509Cert> parseCaCerts(List<ByteString> pems) {
        List<X509Cert> certs = new ArrayList<>(pems.size());
        for (ByteString pem : pems) {
            PemBlock block = Pem.decode(pem.toByteArray());
            if (block == null) {
                throw new IllegalArgumentException("getCertFromPem error: could not decode pem bytes");
            }
            try {
                certs.add(X509Cert.parse(block.content()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("getCertFromPem error: failed to parse x509 cert: " + e.getMessage(),
                        e);
            }
        }
        return certs;
    }

    /** Fabric's {@code sanitizeCert} for CA certificates during setup. */
    private static X509Cert sanitize(X509Cert cert, CertPool pool) {
        if (!cert.isEcdsaSigned()) {
            return cert;
        }
        CertPool.Chains chains = pool.chains(cert, validationTime(cert));
        if (!chains.found()) {
            throw new IllegalArgumentException("the supplied identity is not valid: " + chains.error());
        }
        if (chains.chains().size() != 1) {
            throw new IllegalArgumentException("this MSP only supports a single validation chain, got "
                    + chains.chains().size());
        }
        List<X509Cert> chain = chains.chains().get(0);
        return cert.withLowSSignature(chain.size() == 1 ? cert : chain.get(1));
    }

    private List<X509Cert> uniqueChain(X509Cert cert) {
        CertPool.Chains chains = pool.chains(cert, validationTime(cert));
        if (!chains.found()) {
            throw new IllegalArgumentException("failed getting validation chain, (SN: " + cert.serialNumber()
                    + "): the supplied identity is not valid: " + chains.error());
        }
        if (chains.chains().size() != 1) {
            throw new IllegalArgumentException("failed getting validation chain, (SN: " + cert.serialNumber()
                    + "): this MSP only supports a single validation chain, got " + chains.chains().size());
        }
        return chains.chains().get(0);
    }

    private void checkCaCertificate(X509Cert ca) {
        String serialHex = ca.serialNumber().toString(16);
        if (!ca.isCa()) {
            throw new IllegalArgumentException("CA Certificate did not have the CA attribute, (SN: " + serialHex + ")");
        }
        if (ca.subjectKeyIdentifier() == null) {
            throw new IllegalArgumentException("CA Certificate problem with Subject Key Identifier extension, (SN: "
                    + serialHex + "): subjectKeyIdentifier not found in certificate");
        }
        CertPool.Chains chains = pool.chains(ca, validationTime(ca));
        String prefix = "CA Certificate is not valid, (SN: " + ca.serialNumber() + "): ";
        if (!chains.found()) {
            throw new IllegalArgumentException(prefix + "could not obtain certification chain: the supplied identity "
                    + "is not valid: " + chains.error());
        }
        if (chains.chains().size() != 1) {
            throw new IllegalArgumentException(prefix + "could not obtain certification chain: this MSP only supports "
                    + "a single validation chain, got " + chains.chains().size());
        }
        List<X509Cert> chain = chains.chains().get(0);
        if (chain.size() > 1) {
            ValidationResult revocation = checkRevocation(ca, chain);
            if (!revocation.isValid()) {
                throw new IllegalArgumentException(prefix + revocation.message());
            }
        }
    }

    /** Fabric's {@code getCertifiersIdentifier}: the hash of the chain from a configured CA to its root. */
    private byte[] certifiersIdentifier(ByteString certificatePem) {
        PemBlock block = Pem.decode(certificatePem.toByteArray());
        if (block == null) {
            throw new IllegalArgumentException("Failed getting certificate: could not decode the PEM structure");
        }
        X509Cert cert;
        try {
            cert = sanitize(X509Cert.parse(block.content()), pool);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Failed getting certificate: " + e.getMessage(), e);
        }
        List<X509Cert> chain;
        if (pool.isRoot(cert)) {
            chain = List.of(cert);
        } else if (pool.isIntermediate(cert)) {
            chain = uniqueChain(cert);
            if (chain.size() < 2) {
                throw new IllegalArgumentException("Failed computing validation chain for [" + cert.subject()
                        + "]. [expected a chain of length at least 2, got " + chain.size() + "]");
            }
            if (isInternalNode(chain.get(0))) {
                throw new IllegalArgumentException("Failed computing validation chain for [" + cert.subject()
                        + "]. [invalid validation chain. Parent certificate should be a leaf of the certification "
                        + "tree]");
            }
        } else {
            throw new IllegalArgumentException("Failed adding OU. Certificate [" + cert.subject()
                    + "] not in root or intermediate certs.");
        }
        MessageDigest digest = Sha256.newDigest();
        chain.forEach(c -> c.updateDigest(digest));
        return digest.digest();
    }

    private NodeOu nodeOu(OuIdentifier ou) {
        if (ou == null) {
            return null;
        }
        byte[] certifiers = ou.certificate().isEmpty() ? new byte[0] : certifiersIdentifier(ou.certificate());
        return new NodeOu(ou.organizationalUnit(), certifiers);
    }

    @Override
    public String toString() {
        return "Msp[" + name + "]";
    }
}
