package dev.fabricembedded.msp.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.Identity;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.InvalidIdentityException;
import dev.fabricembedded.msp.Principal;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code SignaturePolicyEnvelope} compiled for evaluation, with exactly the semantics of Fabric 1.4's
 * {@code cauthdsl} ({@code compile} + {@code policy.Evaluate}):
 * <ol>
 *   <li>every signature's identity is deserialized; those that fail are dropped;</li>
 *   <li>duplicates are dropped: only the first signature of each identity (mspid + hex(H(sanitised cert))) stays,
 *   so one identity signing twice counts once;</li>
 *   <li>{@code SignedBy(i)} takes the first signature, in order, that is not used yet, whose identity satisfies
 *   principal {@code i}, and whose signature verifies; it marks it used;</li>
 *   <li>{@code NOutOf(n, rules)} evaluates the rules in order, greedily, each on a copy of the used marks that is
 *   kept only if the rule succeeds; it succeeds when at least n rules do. There is no backtracking, so a signature
 *   is never counted twice and rule order can matter, as in Fabric.</li>
 * </ol>
 * A failure is {@code signature set did not satisfy policy}. Work is minimised without changing results: principals
 * are decoded once at compile time, each signature is verified at most once per evaluation and only when a
 * principal check needs it, principal checks are memoised per signature, a signature its identity {@link Identity#verifyAndRemember verified
 * and remembered} moments before (the same key, data hash and signature bytes) is recalled rather than verified again
 * ({@link Identity#verifyOrRecall}), a gate stops as soon as it can no longer
 * reach n (its marks would be discarded), and the top-level gate stops at its n-th success (nothing reads its marks).
 * Inner gates evaluate all their rules, as in Fabric, because the signatures they mark matter to their siblings.
 *
 * <p>Immutable and thread-safe; evaluation state lives on the calling thread.
 */
public final class CompiledSignaturePolicy implements Policy {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledSignaturePolicy.class);

    private final SignaturePolicyEnvelope envelope;
    private final Principal[] principals;
    private final Rule rule;
    private final IdentityDeserializer deserializer;

    private CompiledSignaturePolicy(SignaturePolicyEnvelope envelope, IdentityDeserializer deserializer) {
        this.envelope = envelope;
        this.deserializer = deserializer;
        if (envelope.getVersion() != 0) {
            throw new InvalidPolicyException("This evaluator only understands messages of version 0, but version was "
                    + envelope.getVersion());
        }
        List<MSPPrincipal> identities = envelope.getIdentitiesList();
        this.principals = new Principal[identities.size()];
        for (int i = 0; i < principals.length; i++) {
            principals[i] = Principal.parse(identities.get(i));
        }
        if (!envelope.hasRule()) {
            throw new InvalidPolicyException("Empty policy element");
        }
        this.rule = compile(envelope.getRule(), principals.length);
    }

    /**
     * Compiles an envelope against the deserializer that will turn signers into identities (the channel's
     * {@code MspManager}).
     *
     * @throws InvalidPolicyException with Fabric's compile error
     */
    public static CompiledSignaturePolicy compile(SignaturePolicyEnvelope envelope, IdentityDeserializer deserializer) {
        return new CompiledSignaturePolicy(Objects.requireNonNull(envelope, "envelope"),
                Objects.requireNonNull(deserializer, "deserializer"));
    }

    /**
     * Parses and compiles serialized envelope bytes (a policy value from configuration or chaincode data).
     *
     * @throws InvalidPolicyException {@code Error unmarshaling to SignaturePolicy: ...} or a compile error
     */
    public static CompiledSignaturePolicy compile(ByteString envelopeBytes, IdentityDeserializer deserializer) {
        try {
            return compile(SignaturePolicyEnvelope.parseFrom(envelopeBytes), deserializer);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidPolicyException("Error unmarshaling to SignaturePolicy: " + e.getMessage(), e);
        }
    }

    /** The envelope this policy was compiled from. */
    public SignaturePolicyEnvelope envelope() {
        return envelope;
    }

    @Override
    public PolicyResult evaluate(List<SignedData> signatureSet) {
        Objects.requireNonNull(signatureSet, "signatureSet");
        Entry[] entries = deduplicate(signatureSet);
        boolean satisfied = rule instanceof NOutOf root ? root.evaluateRoot(entries, this)
                : rule.evaluate(entries, new boolean[entries.length], this);
        return satisfied ? PolicyResult.satisfied() : PolicyResult.signatureSetNotSatisfied();
    }

    private Entry[] deduplicate(List<SignedData> signatureSet) {
        List<Entry> kept = new ArrayList<>(signatureSet.size());
        Set<String> seen = new HashSet<>(signatureSet.size() * 2);
        for (int i = 0; i < signatureSet.size(); i++) {
            SignedData signedData = signatureSet.get(i);
            Identity identity;
            try {
                identity = deserializer.deserializeIdentity(signedData.identity());
            } catch (InvalidIdentityException e) {
                LOG.warn("Principal deserialization failure ({}) for identity {}", e.getMessage(), i);
                continue;
            }
            String key = identity.mspId() + identity.id();
            if (!seen.add(key)) {
                LOG.warn("De-duplicating identity [{}] at index {} in signature set", key, i);
                continue;
            }
            kept.add(new Entry(signedData, identity, principals.length));
        }
        return kept.toArray(new Entry[0]);
    }

    private static Rule compile(SignaturePolicy policy, int identities) {
        switch (policy.getTypeCase()) {
            case N_OUT_OF -> {
                SignaturePolicy.NOutOf nOutOf = policy.getNOutOf();
                Rule[] rules = new Rule[nOutOf.getRulesCount()];
                for (int i = 0; i < rules.length; i++) {
                    rules[i] = compile(nOutOf.getRules(i), identities);
                }
                return new NOutOf(nOutOf.getN(), rules);
            }
            case SIGNED_BY -> {
                int index = policy.getSignedBy();
                if (index < 0 || index >= identities) {
                    throw new InvalidPolicyException("identity index out of range, requested " + index
                            + ", but identities length is " + identities);
                }
                return new SignedBy(index);
            }
            default -> throw new InvalidPolicyException("Unknown type: <nil>:<nil>");
        }
    }

    /** A compiled node of the rule tree. */
    private sealed interface Rule permits SignedBy, NOutOf {
        boolean evaluate(Entry[] entries, boolean[] used, CompiledSignaturePolicy policy);
    }

    private record SignedBy(int index) implements Rule {
        @Override
        public boolean evaluate(Entry[] entries, boolean[] used, CompiledSignaturePolicy policy) {
            Principal principal = policy.principals[index];
            for (int i = 0; i < entries.length; i++) {
                if (used[i]) {
                    continue;
                }
                Entry entry = entries[i];
                if (!entry.satisfies(index, principal)) {
                    continue;
                }
                if (!entry.verifies()) {
                    continue;
                }
                used[i] = true;
                return true;
            }
            return false;
        }
    }

    private record NOutOf(int n, Rule[] rules) implements Rule {
        @Override
        public boolean evaluate(Entry[] entries, boolean[] used, CompiledSignaturePolicy policy) {
            return evaluate(entries, used, policy, false);
        }

        /** The top-level gate: nothing reads its marks afterwards, so it may stop at the n-th success. */
        boolean evaluateRoot(Entry[] entries, CompiledSignaturePolicy policy) {
            return evaluate(entries, new boolean[entries.length], policy, true);
        }

        private boolean evaluate(Entry[] entries, boolean[] used, CompiledSignaturePolicy policy, boolean root) {
            int verified = 0;
            boolean[] scratch = new boolean[used.length];
            for (int i = 0; i < rules.length; i++) {
                if (verified + (rules.length - i) < n) {
                    // cannot reach n any more: the result is false and a failed gate's marks are discarded by its
                    // parent, so skipping the remaining rules changes nothing but the work done
                    return false;
                }
                System.arraycopy(used, 0, scratch, 0, used.length);
                if (rules[i].evaluate(entries, scratch, policy)) {
                    verified++;
                    System.arraycopy(scratch, 0, used, 0, used.length);
                    if (root && verified >= n) {
                        return true;
                    }
                }
            }
            return verified >= n;
        }
    }

    /** One de-duplicated signature with its identity and memoised checks, for one evaluation. */
    private static final class Entry {
        private static final byte UNKNOWN = 0;
        private static final byte YES = 1;
        private static final byte NO = 2;

        private final SignedData signedData;
        private final Identity identity;
        private final byte[] satisfies;
        private byte verified;

        Entry(SignedData signedData, Identity identity, int principals) {
            this.signedData = signedData;
            this.identity = identity;
            this.satisfies = new byte[principals];
        }

        boolean satisfies(int index, Principal principal) {
            if (satisfies[index] == UNKNOWN) {
                var result = identity.satisfiesPrincipal(principal);
                if (!result.isValid() && LOG.isDebugEnabled()) {
                    LOG.debug("identity {} does not satisfy principal {}: {}", identity, index, result.message());
                }
                satisfies[index] = result.isValid() ? YES : NO;
            }
            return satisfies[index] == YES;
        }

        boolean verifies() {
            if (verified == UNKNOWN) {
                // the creator's proposal signature was usually verified moments ago by the proposal checks: an
                // identical (key, H(data), signature) is recalled instead of verified again, anything else verified
                var result = identity.verifyOrRecall(signedData.data(), signedData.signature());
                if (!result.isValid() && LOG.isDebugEnabled()) {
                    LOG.debug("signature for identity {} is invalid: {}", identity, result.message());
                }
                verified = result.isValid() ? YES : NO;
            }
            return verified == YES;
        }
    }

    @Override
    public String toString() {
        return "CompiledSignaturePolicy[" + principals.length + " identities]";
    }
}
