/**
 * Test fixtures shared by the ledger tests and, through the module's test jar, the JMH benchmarks: envelopes and
 * chained blocks ({@link dev.fabricembedded.ledger.testing.TestBlocks}, {@link dev.fabricembedded.ledger.testing.Chain}),
 * small ledgers driven through the public API ({@link dev.fabricembedded.ledger.testing.Ledgers}) and fake crash
 * markers ({@link dev.fabricembedded.ledger.testing.Crashes}). Stateless helpers; {@code Chain} belongs to one thread.
 */
package dev.fabricembedded.ledger.testing;
