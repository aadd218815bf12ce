/**
 * Test fixtures: dev-CA organisations, channel profiles and client-signed envelopes. Immutable after creation and
 * shared by the tests of one JVM.
 */
package dev.fabricembedded.orderer.testing;
