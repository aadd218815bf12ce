/**
 * Benchmarks of the msp module, each beside raw BouncyCastle ECDSA measured in the same run: signing, verifying,
 * deserializing a cached identity then verifying, and evaluating a 2-of-3 signature policy against the two raw
 * verifications it needs. JMH owns the threads; state is per benchmark.
 */
package dev.fabricembedded.jmh.msp;
