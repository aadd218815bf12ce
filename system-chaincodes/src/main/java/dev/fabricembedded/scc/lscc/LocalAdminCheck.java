package dev.fabricembedded.scc.lscc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.ValidationResult;
import dev.fabricembedded.msp.crypto.VerificationResult;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.msp.policy.SignedData;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * Fabric's channelless check of the local MSP {@code Admins} principal ({@code policyChecker.CheckPolicyNoChannel})
 * guarding {@code install} and {@code getinstalledchaincodes}: deserialize the creator with the local MSP, check it
 * is an admin of that MSP, verify the proposal signature. Each failure has Fabric's text. Immutable.
 */
final class LocalAdminCheck {

    private static final String POLICY = "Admins";

    private final Msp localMsp;
    private final MSPPrincipal admin;

    LocalAdminCheck(Msp localMsp) {
        this.localMsp = localMsp;
        this.admin = SignaturePolicies.rolePrincipal(localMsp.name(), MSPRole.MSPRoleType.ADMIN);
    }

    /** Empty when the proposal's creator is a local admin who signed it, else Fabric's error text. */
    Optional<String> check(SignedProposal signedProposal) {
        SignedData signedData;
        try {
            signedData = ProposalSignedData.of(signedProposal);
        } catch (InvalidProtocolBufferException e) {
            return Optional.of("Failing extracting proposal during channelless check policy with policy [" + POLICY
                    + "]: [" + e.getMessage() + "]");
        }
        Identity identity;
        try {
            identity = localMsp.deserializeIdentity(signedData.identity());
        } catch (InvalidIdentityException e) {
            return Optional.of("Failed deserializing proposal creator during channelless check policy with policy ["
                    + POLICY + "]: [" + e.getMessage() + "]");
        }
        ValidationResult principal = localMsp.satisfiesPrincipal(identity, admin);
        if (!principal.isValid()) {
            return Optional.of("Failed verifying that proposal's creator satisfies local MSP principal during "
                    + "channelless check policy with policy [" + POLICY + "]: [" + principal.message() + "]");
        }
        VerificationResult signature = identity.verify(signedData.data(), signedData.signature());
        if (!signature.isValid()) {
            return Optional.of("Failed verifying signature during channelless check policy with policy [" + POLICY
                    + "]: [" + signature.message() + "]");
        }
        return Optional.empty();
    }
}
