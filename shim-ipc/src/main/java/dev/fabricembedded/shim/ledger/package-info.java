/**
 * Ledger types of the chaincode API: query results ({@link dev.fabricembedded.shim.ledger.KeyValue},
 * {@link dev.fabricembedded.shim.ledger.KeyModification}), their lazily paged iterators, and
 * {@link dev.fabricembedded.shim.ledger.CompositeKey} with Fabric's key rules.
 *
 * <p>Values here are immutable; iterators belong to the thread running the invocation they came from.
 */
package dev.fabricembedded.shim.ledger;
