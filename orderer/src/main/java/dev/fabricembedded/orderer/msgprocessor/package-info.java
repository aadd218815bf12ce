/**
 * The orderer's broadcast filters (Fabric's {@code orderer/common/msgprocessor}, fabric-1.4-flow.md §5.2): rules
 * that accept a normal message or reject it with the status and text a Fabric client receives
 * ({@link dev.fabricembedded.orderer.msgprocessor.RuleSet#standardChannel}: empty payload, AbsoluteMaxBytes, creator
 * expiry, {@code /Channel/Writers}).
 *
 * <p>Threads: rules are immutable and run on the broadcasting client's thread, so filtering (signature
 * verification above all) scales with the callers and never holds up a channel's ordering thread.
 */
package dev.fabricembedded.orderer.msgprocessor;
