package dev.fabricembedded.scc.channel;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The endorsement policies compiled against one channel view's identity deserializer, by their serialized bytes.
 * VSCC validates every transaction of a chaincode against the same few policy bytes (those of its definition), and
 * compiling them (parsing the envelope, decoding each principal) was paid per transaction.
 *
 * <p>Keying by the bytes is exact: a compiled policy depends only on its bytes and the deserializer, and the
 * deserializer is fixed for the view. A chaincode upgrade that changes the policy changes the bytes (a new entry; the
 * old one is simply no longer asked for), and a channel configuration update builds a new view with an empty cache.
 * At most {@value #MAX_ENTRIES} policies are kept; beyond that a policy is compiled per call, as before. A policy
 * that does not compile is never kept (the error is thrown each time). Thread-safe: the committer's workers share it.
 */
final class CompiledPolicies {

    static final int MAX_ENTRIES = 256;

    private final IdentityDeserializer deserializer;
    private final ConcurrentMap<ByteString, CompiledSignaturePolicy> byBytes = new ConcurrentHashMap<>();

    CompiledPolicies(IdentityDeserializer deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    }

    /**
     * The policy {@code envelopeBytes} (a serialized {@code SignaturePolicyEnvelope}) compiled.
     *
     * @throws InvalidPolicyException with Fabric's compile error
     */
    CompiledSignaturePolicy get(ByteString envelopeBytes) {
        Objects.requireNonNull(envelopeBytes, "envelopeBytes");
        CompiledSignaturePolicy policy = byBytes.get(envelopeBytes);
        if (policy != null) {
            return policy;
        }
        policy = CompiledSignaturePolicy.compile(envelopeBytes, deserializer);
        if (byBytes.size() < MAX_ENTRIES) {
            CompiledSignaturePolicy raced = byBytes.putIfAbsent(envelopeBytes, policy);
            return raced != null ? raced : policy;
        }
        return policy;
    }

    /** Number of policies kept (for tests). */
    int size() {
        return byBytes.size();
    }
}
