/**
 * Ledger benchmarks (docs/PERFORMANCE.md, ledger section), each beside its baseline in the same run:
 * {@link dev.fabricembedded.jmh.ledger.GetStateBenchmark} (GetState vs ConcurrentHashMap at 1 M keys),
 * {@link dev.fabricembedded.jmh.ledger.CommitBenchmark} (MVCC + durable commit of 500-transaction blocks vs the
 * same MVCC on a ConcurrentHashMap) and {@link dev.fabricembedded.jmh.ledger.RecoveryBenchmark} (re-applying
 * 10,000 blocks at open vs only reading and parsing them). State is single-threaded per benchmark.
 */
package dev.fabricembedded.jmh.ledger;
