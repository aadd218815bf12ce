package dev.fabricembedded.msp.policy;

import java.util.List;

/**
 * A policy: decides whether a set of signatures is enough (Fabric's {@code policies.Policy}).
 *
 * <p>Not being satisfied is an expected outcome, returned as a {@link PolicyResult}, never thrown. Implementations
 * are immutable and thread-safe.
 */
@FunctionalInterface
public interface Policy {

    /** Evaluates the policy against the signatures, in the order given. */
    PolicyResult evaluate(List<SignedData> signatureSet);
}
