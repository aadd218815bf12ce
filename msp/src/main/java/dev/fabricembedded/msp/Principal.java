package dev.fabricembedded.msp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.CombinedPrincipal;
import org.hyperledger.fabric.protos.common.MSPIdentityAnonymity;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A decoded {@code MSPPrincipal}: who a signature policy asks for.
 *
 * <p>Policies are compiled once and evaluated many times, so principals are decoded once, at compile time. A
 * principal whose bytes cannot be decoded does not fail compilation (Fabric decodes them only during
 * evaluation); it becomes {@link Unparsable} and is never satisfied, with Fabric's decoding error as the reason.
 */
public sealed interface Principal {

    /** The protobuf form; for parsed principals it re-encodes to the same bytes Fabric's builders produce. */
    MSPPrincipal toProto();

    /** {@code ROLE}: a member, admin, client, peer or orderer of an MSP. */
    record Role(String mspId, int roleValue) implements Principal {
        public Role {
            Objects.requireNonNull(mspId, "mspId");
        }

        /** The role, {@code UNRECOGNIZED} for values Fabric does not define. */
        public MSPRole.MSPRoleType role() {
            MSPRole.MSPRoleType role = MSPRole.MSPRoleType.forNumber(roleValue);
            return role == null ? MSPRole.MSPRoleType.UNRECOGNIZED : role;
        }

        @Override
        public MSPPrincipal toProto() {
            return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRoleValue(roleValue).build()
                            .toByteString())
                    .build();
        }
    }

    /** {@code ORGANIZATION_UNIT}: a valid member carrying an OU certified by a given chain. */
    record OrganizationUnit(String mspId, String organizationalUnit, ByteString certifiersIdentifier)
            implements Principal {
        public OrganizationUnit {
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(organizationalUnit, "organizationalUnit");
            Objects.requireNonNull(certifiersIdentifier, "certifiersIdentifier");
        }

        @Override
        public MSPPrincipal toProto() {
            return MSPPrincipal.newBuilder()
                    .setPrincipalClassification(MSPPrincipal.Classification.ORGANIZATION_UNIT)
                    .setPrincipal(org.hyperledger.fabric.protos.common.OrganizationUnit.newBuilder()
                            .setMspIdentifier(mspId).setOrganizationalUnitIdentifier(organizationalUnit)
                            .setCertifiersIdentifier(certifiersIdentifier).build().toByteString())
                    .build();
        }
    }

    /** {@code IDENTITY}: exactly one identity, given as its serialized bytes. */
    record SpecificIdentity(ByteString serializedIdentity) implements Principal {
        public SpecificIdentity {
            Objects.requireNonNull(serializedIdentity, "serializedIdentity");
        }

        @Override
        public MSPPrincipal toProto() {
            return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.IDENTITY)
                    .setPrincipal(serializedIdentity).build();
        }
    }

    /** {@code ANONYMITY}: nominal (any X.509 identity) or anonymous (never, for X.509). */
    record Anonymity(int typeValue) implements Principal {
        @Override
        public MSPPrincipal toProto() {
            return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ANONYMITY)
                    .setPrincipal(MSPIdentityAnonymity.newBuilder().setAnonymityTypeValue(typeValue).build()
                            .toByteString())
                    .build();
        }
    }

    /** {@code COMBINED}: every sub-principal must hold. */
    record Combined(List<Principal> principals) implements Principal {
        public Combined {
            principals = List.copyOf(principals);
        }

        @Override
        public MSPPrincipal toProto() {
            CombinedPrincipal.Builder combined = CombinedPrincipal.newBuilder();
            principals.forEach(p -> combined.addPrincipals(p.toProto()));
            return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.COMBINED)
                    .setPrincipal(combined.build().toByteString()).build();
        }
    }

    /** A principal that could not be decoded; never satisfied. */
    record Unparsable(MSPPrincipal original, String error) implements Principal {
        public Unparsable {
            Objects.requireNonNull(original, "original");
            Objects.requireNonNull(error, "error");
        }

        @Override
        public MSPPrincipal toProto() {
            return original;
        }
    }

    /** {@code ROLE} principal for an MSP and role. */
    static Principal role(String mspId, MSPRole.MSPRoleType role) {
        return new Role(mspId, role.getNumber());
    }

    /** Decodes a principal; never throws for bad bytes (see {@link Unparsable}). */
    static Principal parse(MSPPrincipal principal) {
        Objects.requireNonNull(principal, "principal");
        try {
            return switch (principal.getPrincipalClassificationValue()) {
                case MSPPrincipal.Classification.ROLE_VALUE -> parseRole(principal);
                case MSPPrincipal.Classification.ORGANIZATION_UNIT_VALUE -> parseOrganizationUnit(principal);
                case MSPPrincipal.Classification.IDENTITY_VALUE -> new SpecificIdentity(principal.getPrincipal());
                case MSPPrincipal.Classification.ANONYMITY_VALUE -> parseAnonymity(principal);
                case MSPPrincipal.Classification.COMBINED_VALUE -> parseCombined(principal);
                default -> new Unparsable(principal,
                        "invalid principal type " + principal.getPrincipalClassificationValue());
            };
        } catch (InvalidProtocolBufferException e) {
            String what = switch (principal.getPrincipalClassificationValue()) {
                case MSPPrincipal.Classification.ROLE_VALUE -> "MSPRole";
                case MSPPrincipal.Classification.ORGANIZATION_UNIT_VALUE -> "OrganizationUnit";
                case MSPPrincipal.Classification.ANONYMITY_VALUE -> "MSPIdentityAnonymity";
                default -> "CombinedPrincipal";
            };
            return new Unparsable(principal, "could not unmarshal " + what + " from principal: " + e.getMessage());
        }
    }

    private static Principal parseRole(MSPPrincipal principal) throws InvalidProtocolBufferException {
        MSPRole role = MSPRole.parseFrom(principal.getPrincipal());
        return new Role(role.getMspIdentifier(), role.getRoleValue());
    }

    private static Principal parseOrganizationUnit(MSPPrincipal principal) throws InvalidProtocolBufferException {
        var ou = org.hyperledger.fabric.protos.common.OrganizationUnit.parseFrom(principal.getPrincipal());
        return new OrganizationUnit(ou.getMspIdentifier(), ou.getOrganizationalUnitIdentifier(),
                ou.getCertifiersIdentifier());
    }

    private static Principal parseAnonymity(MSPPrincipal principal) throws InvalidProtocolBufferException {
        return new Anonymity(MSPIdentityAnonymity.parseFrom(principal.getPrincipal()).getAnonymityTypeValue());
    }

    private static Principal parseCombined(MSPPrincipal principal) throws InvalidProtocolBufferException {
        CombinedPrincipal combined = CombinedPrincipal.parseFrom(principal.getPrincipal());
        if (combined.getPrincipalsCount() == 0) {
            return new Unparsable(principal, "No principals in CombinedPrincipal");
        }
        List<Principal> parts = new ArrayList<>(combined.getPrincipalsCount());
        for (MSPPrincipal part : combined.getPrincipalsList()) {
            parts.add(parse(part));
        }
        return new Combined(parts);
    }
}
