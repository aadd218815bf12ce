package dev.fabricembedded.ledger.validation;

import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;

/**
 * The public read-write set of one namespace of a transaction.
 *
 * @param namespace the chaincode namespace
 * @param rwset     its reads, range queries, writes and metadata writes
 */
public record NamespaceRwSet(String namespace, KVRWSet rwset) {
}
