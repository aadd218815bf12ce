/**
 * Peer benchmarks, each beside the signature work it needs in the same run.
 * <ul>
 *   <li>{@code CommitterBenchmark}: committer throughput for blocks of endorsed transactions beside the signature
 *   verification those transactions need. State is per benchmark trial; each benchmark method runs on JMH's single
 *   measurement thread, which plays the channel's committing thread and hands work to the committer's (or the
 *   baseline's) worker pool.</li>
 *   <li>{@code SubmitBenchmark}: end-to-end {@code submit} through the client gateway (endorse, assemble, order,
 *   validate, commit, commit event) beside the signs and verifies one submit needs. The network lives in a
 *   temporary directory deleted at tear-down; its threads and chaincode process are the peer's and the
 *   orderer's.</li>
 * </ul>
 */
package dev.fabricembedded.jmh.peer;
