/**
 * Peer benchmarks: committer throughput for blocks of endorsed transactions beside the signature verification those
 * transactions need. State is per benchmark trial; each benchmark method runs on JMH's single measurement thread,
 * which plays the channel's committing thread and hands work to the committer's (or the baseline's) worker pool.
 */
package dev.fabricembedded.jmh.peer;
