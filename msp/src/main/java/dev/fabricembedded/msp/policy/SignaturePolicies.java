package dev.fabricembedded.msp.policy;

import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Builders of signature policies, with the exact structure of Fabric's {@code cauthdsl_builder.go} so that the
 * envelopes are byte-identical to the ones a Fabric peer, orderer or SDK builds (they are hashed and compared, for
 * example in LSCC's instantiation policy and in channel configuration).
 */
public final class SignaturePolicies {

    private SignaturePolicies() {
    }

    /** {@code SignedBy(index)}: a signature by the principal at {@code index} of the envelope's identities. */
    public static SignaturePolicy signedBy(int index) {
        return SignaturePolicy.newBuilder().setSignedBy(index).build();
    }

    /** {@code NOutOf(n, rules)}. */
    public static SignaturePolicy nOutOf(int n, List<SignaturePolicy> rules) {
        return SignaturePolicy.newBuilder()
                .setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(n).addAllRules(rules)).build();
    }

    /** {@code And(lhs, rhs)} = {@code NOutOf(2, [lhs, rhs])}. */
    public static SignaturePolicy and(SignaturePolicy lhs, SignaturePolicy rhs) {
        return nOutOf(2, List.of(lhs, rhs));
    }

    /** {@code Or(lhs, rhs)} = {@code NOutOf(1, [lhs, rhs])}. */
    public static SignaturePolicy or(SignaturePolicy lhs, SignaturePolicy rhs) {
        return nOutOf(1, List.of(lhs, rhs));
    }

    /** {@code Envelope(rule, identities)}, version 0. */
    public static SignaturePolicyEnvelope envelope(SignaturePolicy rule, List<MSPPrincipal> identities) {
        return SignaturePolicyEnvelope.newBuilder().setVersion(0).setRule(rule).addAllIdentities(identities).build();
    }

    /** Fabric's {@code AcceptAllPolicy}: {@code NOutOf(0, [])}, satisfied by anything. */
    public static SignaturePolicyEnvelope acceptAll() {
        return envelope(nOutOf(0, List.of()), List.of());
    }

    /** Fabric's {@code RejectAllPolicy}: {@code NOutOf(1, [])}, never satisfied. */
    public static SignaturePolicyEnvelope rejectAll() {
        return envelope(nOutOf(1, List.of()), List.of());
    }

    /** A {@code ROLE} principal. */
    public static MSPPrincipal rolePrincipal(String mspId, MSPRole.MSPRoleType role) {
        return MSPPrincipal.newBuilder().setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(MSPRole.newBuilder().setRole(role).setMspIdentifier(mspId).build().toByteString())
                .build();
    }

    /** {@code SignedByMspMember(mspId)}: one signature by a member of the MSP. */
    public static SignaturePolicyEnvelope signedByMspMember(String mspId) {
        return signedByFabricEntity(mspId, MSPRole.MSPRoleType.MEMBER);
    }

    /** {@code SignedByMspAdmin(mspId)}: one signature by an admin of the MSP. */
    public static SignaturePolicyEnvelope signedByMspAdmin(String mspId) {
        return signedByFabricEntity(mspId, MSPRole.MSPRoleType.ADMIN);
    }

    /** {@code SignedByMspClient(mspId)}: one signature by a client of the MSP. */
    public static SignaturePolicyEnvelope signedByMspClient(String mspId) {
        return signedByFabricEntity(mspId, MSPRole.MSPRoleType.CLIENT);
    }

    /** {@code SignedByMspPeer(mspId)}: one signature by a peer of the MSP. */
    public static SignaturePolicyEnvelope signedByMspPeer(String mspId) {
        return signedByFabricEntity(mspId, MSPRole.MSPRoleType.PEER);
    }

    /** {@code SignedByAnyMember(ids)}: one signature by a member of any of the MSPs (IDs sorted). */
    public static SignaturePolicyEnvelope signedByAnyMember(Collection<String> mspIds) {
        return signedByAnyOfGivenRole(MSPRole.MSPRoleType.MEMBER, mspIds);
    }

    /** {@code SignedByAnyAdmin(ids)}. */
    public static SignaturePolicyEnvelope signedByAnyAdmin(Collection<String> mspIds) {
        return signedByAnyOfGivenRole(MSPRole.MSPRoleType.ADMIN, mspIds);
    }

    /** {@code SignedByAnyClient(ids)}. */
    public static SignaturePolicyEnvelope signedByAnyClient(Collection<String> mspIds) {
        return signedByAnyOfGivenRole(MSPRole.MSPRoleType.CLIENT, mspIds);
    }

    /** {@code SignedByAnyPeer(ids)}. */
    public static SignaturePolicyEnvelope signedByAnyPeer(Collection<String> mspIds) {
        return signedByAnyOfGivenRole(MSPRole.MSPRoleType.PEER, mspIds);
    }

    private static SignaturePolicyEnvelope signedByFabricEntity(String mspId, MSPRole.MSPRoleType role) {
        return envelope(nOutOf(1, List.of(signedBy(0))), List.of(rolePrincipal(mspId, role)));
    }

    private static SignaturePolicyEnvelope signedByAnyOfGivenRole(MSPRole.MSPRoleType role, Collection<String> mspIds) {
        List<String> ids = new ArrayList<>(mspIds);
        // Go's sort.Strings orders by bytes (UTF-8), i.e. by code point
        ids.sort(SignaturePolicies::compareCodePoints);
        List<MSPPrincipal> principals = new ArrayList<>(ids.size());
        List<SignaturePolicy> rules = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            principals.add(rolePrincipal(ids.get(i), role));
            rules.add(signedBy(i));
        }
        return envelope(nOutOf(1, rules), principals);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
