/**
 * Test support shared through this module's test jar with the modules that start chaincodes (endorser, peer):
 * {@link dev.fabricembedded.shim.testing.LeakCheck}, the check that what a test started (threads, chaincode
 * processes, queue directories) is gone once it closed it. Used from test threads only.
 */
package dev.fabricembedded.shim.testing;
