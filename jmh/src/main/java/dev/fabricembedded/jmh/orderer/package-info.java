/**
 * Orderer benchmarks: sustained broadcast into the solo orderer beside the signature check it has to make.
 * State is per benchmark trial; each benchmark method runs on JMH's single measurement thread.
 */
package dev.fabricembedded.jmh.orderer;
