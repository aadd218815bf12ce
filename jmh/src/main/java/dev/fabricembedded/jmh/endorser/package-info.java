/**
 * Benchmarks of {@code Endorser.processProposal}: endorsement throughput of an invoke in a child-process chaincode
 * beside the raw ECDSA it needs, and instantiate latency with the chaincode cold and warm beside an in-process
 * system chaincode query. The peers live in temporary directories deleted at tear-down; their chaincode processes,
 * threads and queues are the endorser's.
 */
package dev.fabricembedded.jmh.endorser;
