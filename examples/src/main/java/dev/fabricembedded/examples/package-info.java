/**
 * Sample chaincodes written against the chaincode API ({@code dev.fabricembedded.shim}): example02 asset transfer,
 * a key-value chaincode covering the ledger API, and a misbehaving chaincode for failure tests. Each is also built
 * as its own package jar (classifiers {@code example02}, {@code kv}, {@code misbehaving}) whose manifest attribute
 * {@code Chaincode-Class} names it.
 *
 * <p>They keep no state in fields: everything lives in the ledger, and each invocation runs on a shim worker
 * thread with its own stub.
 */
package dev.fabricembedded.examples;
