package dev.fabricembedded.scc.vscc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric 1.4's built-in validation ({@code DefaultValidation}, registered as {@code vscc}) with the v1.2 rules
 * (§6.4 of the reference):
 * <ol>
 *   <li>the transaction must be an endorser transaction (parsed here unless the request carries the caller's
 *   parse) and the policy must compile against the channel's MSPs
 *   ({@link dev.fabricembedded.scc.channel.ChannelView#endorsementPolicy}, which may hand out a policy compiled
 *   before from the same bytes);</li>
 *   <li>each endorsement gives the signed data {@code {prp ‖ endorser, endorser, signature}}, {@code prp} exactly as
 *   it appears in the transaction; endorsements are de-duplicated by {@code mspid + id_bytes} of the endorser, so one
 *   identity endorsing twice counts once;</li>
 *   <li>the signature set must satisfy the policy. On failure the message is
 *   {@code Endorsement policy evaluation failure might be caused by duplicated identities} when duplicates were
 *   dropped, otherwise {@code VSCC error: endorsement policy failure, err: <policy error>};</li>
 *   <li>for namespace {@code lscc} the deploy/upgrade write-set rules follow ({@link LsccInvocationValidator}).</li>
 * </ol>
 * Every failure is {@code ENDORSEMENT_POLICY_FAILURE}; only state read failures are thrown.
 *
 * <p>Deviation: Fabric selects its v1.3 logic (key-level endorsement through state validation parameters) when the
 * channel has the V1_3 application capability. Key-level endorsement is not implemented here, so the v1.2 rules apply
 * on every channel; they agree with v1.3 for every key that carries no validation parameter. Stateless and
 * thread-safe.
 */
public final class DefaultValidation implements ValidationPlugin {

    /** The registered name. */
    public static final String NAME = "vscc";

    /** Fabric's message when a failing signature set had duplicated identities removed. */
    public static final String DUPLICATED_IDENTITY_ERROR =
            "Endorsement policy evaluation failure might be caused by duplicated identities";

    private static final Logger LOG = LoggerFactory.getLogger(DefaultValidation.class);

    private final LsccInvocationValidator lscc = new LsccInvocationValidator();

    @Override
    public TxValidationResult validate(ValidationRequest request) {
        EndorserTransaction tx;
        try {
            tx = request.transaction();
        } catch (EndorserTransaction.InvalidTransactionException e) {
            return TxValidationResult.policyFailure(e.getMessage());
        }
        CompiledSignaturePolicy policy;
        try {
            policy = request.channel().endorsementPolicy(request.policy());
        } catch (InvalidPolicyException e) {
            return TxValidationResult.policyFailure(e.getMessage());
        }
        ChaincodeActionPayload cap = tx.actionPayload();
        List<SignedData> signatureSet;
        try {
            signatureSet = deduplicatedSignatureSet(cap);
        } catch (InvalidProtocolBufferException e) {
            return TxValidationResult.policyFailure("Unmarshal endorser error: " + e.getMessage());
        }
        PolicyResult result = policy.evaluate(signatureSet);
        if (!result.isSatisfied()) {
            LOG.warn("Endorsement policy failure for transaction txid={}, err: {}", tx.channelHeader().getTxId(),
                    result.message());
            if (signatureSet.size() < cap.getAction().getEndorsementsCount()) {
                return TxValidationResult.policyFailure(DUPLICATED_IDENTITY_ERROR);
            }
            return TxValidationResult.policyFailure("VSCC error: endorsement policy failure, err: " + result.message());
        }
        if (LsccInvocationValidator.LSCC.equals(request.namespace())) {
            return lscc.validate(tx, request.channel(), request.state());
        }
        return TxValidationResult.valid();
    }

    /**
     * Endorsement counts up to which duplicates are found by comparing each endorser with the ones kept before it
     * (most comparisons stop at the first byte: another MSP id or another certificate's serial number) instead of
     * hashing every endorser's ~800 certificate bytes into a set; above it, a set keeps the work linear.
     */
    static final int PAIRWISE_DEDUPLICATION_LIMIT = 8;

    /** Fabric's {@code deduplicateIdentity}: one signed-data entry per {@code mspid + id_bytes}, first one wins. */
    static List<SignedData> deduplicatedSignatureSet(ChaincodeActionPayload cap) throws InvalidProtocolBufferException {
        ByteString prp = cap.getAction().getProposalResponsePayload();
        List<Endorsement> endorsements = cap.getAction().getEndorsementsList();
        List<SignedData> signatureSet = new ArrayList<>(endorsements.size());
        boolean pairwise = endorsements.size() <= PAIRWISE_DEDUPLICATION_LIMIT;
        List<SerializedIdentity> kept = pairwise ? new ArrayList<>(endorsements.size()) : List.of();
        Set<ByteString> seen = pairwise ? Set.of() : new HashSet<>();
        for (Endorsement endorsement : endorsements) {
            SerializedIdentity endorser = SerializedIdentity.parseFrom(endorsement.getEndorser());
            boolean duplicate;
            if (pairwise) {
                duplicate = containsIdentity(kept, endorser);
                if (!duplicate) {
                    kept.add(endorser);
                }
            } else {
                // Fabric's key: the MSP id's bytes followed by the id bytes
                duplicate = !seen.add(ByteString.copyFromUtf8(endorser.getMspid()).concat(endorser.getIdBytes()));
            }
            if (duplicate) {
                LOG.warn("Ignoring duplicated identity, Mspid: {}", endorser.getMspid());
                continue;
            }
            signatureSet.add(new SignedData(prp.concat(endorsement.getEndorser()), endorsement.getEndorser(),
                    endorsement.getSignature()));
        }
        return signatureSet;
    }

    private static boolean containsIdentity(List<SerializedIdentity> kept, SerializedIdentity endorser) {
        for (SerializedIdentity other : kept) {
            if (sameIdentity(other, endorser)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code mspid + id_bytes} of the two endorsers are the same bytes, as Fabric's key compares them (the MSP
     * id is valid UTF-8: the proto3 parse checked it, so its bytes are those of {@code copyFromUtf8(getMspid())}).
     */
    private static boolean sameIdentity(SerializedIdentity a, SerializedIdentity b) {
        ByteString mspA = a.getMspidBytes();
        ByteString mspB = b.getMspidBytes();
        if (mspA.size() == mspB.size()) {
            return mspA.equals(mspB) && a.getIdBytes().equals(b.getIdBytes());
        }
        // different split of the same concatenation (e.g. "Org1" + "MSPx..." and "Org1MSP" + "x...")
        return mspA.size() + a.getIdBytes().size() == mspB.size() + b.getIdBytes().size()
                && mspA.concat(a.getIdBytes()).equals(mspB.concat(b.getIdBytes()));
    }

    @Override
    public String toString() {
        return "DefaultValidation(v1.2)";
    }
}
