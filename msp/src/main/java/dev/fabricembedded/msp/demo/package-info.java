/**
 * The demo run by {@code bin/fabric-embedded demo} until the end-to-end peer demo replaces it: it exercises the
 * dev CA, MSP folders, signing, verification and policy evaluation, printing results and timings. Single-threaded.
 */
package dev.fabricembedded.msp.demo;
