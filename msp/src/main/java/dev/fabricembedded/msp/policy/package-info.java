/**
 * Fabric's policies: signature policies ({@code SignaturePolicyEnvelope}) compiled once and evaluated with the
 * exact algorithm of Fabric 1.4's {@code cauthdsl} ({@link dev.fabricembedded.msp.policy.CompiledSignaturePolicy}),
 * the policy DSL ({@link dev.fabricembedded.msp.policy.PolicyDsl}) and the builders of {@code cauthdsl_builder.go}
 * ({@link dev.fabricembedded.msp.policy.SignaturePolicies}), both producing byte-identical envelopes, ImplicitMeta
 * policies ({@link dev.fabricembedded.msp.policy.ImplicitMetaPolicy}) and the channel's tree of named policies
 * ({@link dev.fabricembedded.msp.policy.PolicyGroup}).
 *
 * <p>Threads: compiled policies and groups are immutable and may be evaluated concurrently; each evaluation keeps
 * its working state (deserialized identities, used marks, memoised verifications) on its own stack.
 */
package dev.fabricembedded.msp.policy;
