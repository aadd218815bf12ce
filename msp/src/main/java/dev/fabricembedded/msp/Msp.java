package dev.fabricembedded.msp;

import org.hyperledger.fabric.protos.common.MSPPrincipal;

/**
 * A membership service provider: one organisation's rules for who is a member, admin, client, peer or orderer,
 * with Fabric 1.4's X.509 semantics (MSP version 1.4.3, the newest a 1.4 channel can use).
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>{@link #validate(Identity)}: the certificate has exactly one chain (length at least 2) to a root, built at
 *   the certificate's NotBefore + 1 s so that expiry never invalidates it; the issuing CA is a leaf of the CA
 *   tree; no CRL signed by that CA lists it; its OUs meet the OU and NodeOU rules.</li>
 *   <li>{@link #satisfiesPrincipal(Identity, Principal)}: ROLE (MEMBER, ADMIN, CLIENT, PEER, ORDERER), IDENTITY,
 *   ORGANIZATION_UNIT, ANONYMITY and COMBINED principals, with Fabric's error texts.</li>
 *   <li>Deserialization ({@link IdentityDeserializer}) accepts only identities whose {@code mspid} is this MSP's
 *   name.</li>
 * </ul>
 * Instances are immutable after {@link #create(MspConfig)} and thread-safe; results for a given identity never
 * change, which is why identities memoise them.
 */
public interface Msp extends IdentityDeserializer {

    /**
     * Sets up an MSP from its configuration, with Fabric's setup checks (CA certificates are CAs with a subject key
     * identifier and valid chains, admins are valid, CRLs parse, OU certificates belong to the MSP).
     *
     * @throws IllegalArgumentException naming the MSP and the problem
     */
    static Msp create(MspConfig config) {
        return new X509Msp(config);
    }

    /** The MSP ID, e.g. {@code Org1MSP}. */
    String name();

    /** The configuration this MSP was set up from. */
    MspConfig config();

    /** Validates an identity against this MSP's roots, CRLs and OU rules. */
    ValidationResult validate(Identity identity);

    /** Checks that an identity satisfies a principal. */
    ValidationResult satisfiesPrincipal(Identity identity, Principal principal);

    /** Decodes and checks a principal. */
    default ValidationResult satisfiesPrincipal(Identity identity, MSPPrincipal principal) {
        return satisfiesPrincipal(identity, Principal.parse(principal));
    }

    /**
     * A signing identity of this MSP from a certificate and its key. The identity is not required to be valid or
     * unexpired (tests need expired and revoked signers); validate it when that matters.
     *
     * @throws InvalidIdentityException when the certificate does not deserialize under this MSP
     * @throws IllegalArgumentException when the key does not match the certificate
     */
    SigningIdentity signingIdentity(Enrollment enrollment);
}
