/**
 * The client side of the embedded API, in the Fabric Gateway programming model: a
 * {@link dev.fabricembedded.gateway.Gateway} (an identity, the peers it endorses on, the ordering service), its
 * {@link dev.fabricembedded.gateway.Network}s (channels, with the LSCC lifecycle helpers) and their
 * {@link dev.fabricembedded.gateway.Contract}s ({@code submit} = endorse, assemble as Fabric's
 * {@code CreateSignedTx}, broadcast, wait for the commit; {@code evaluate} = endorse only). Failures are
 * {@link dev.fabricembedded.gateway.GatewayException}s with Fabric's texts, statuses and validation codes.
 *
 * <p>Threads: none of its own. Every call runs on the caller's thread; the commit is awaited on a future that the
 * committing peer's delivery thread completes. The types hold no mutable state and may be shared between threads.
 */
package dev.fabricembedded.gateway;
