/**
 * Benchmarks of the assembled peer through the client gateway: end-to-end {@code submit} (endorse, assemble, order,
 * validate, commit, commit event) beside the signature work one submit needs, in the same run. The network lives in a
 * temporary directory deleted at tear-down; its threads and chaincode process are the peer's and the orderer's.
 */
package dev.fabricembedded.jmh.peer;
