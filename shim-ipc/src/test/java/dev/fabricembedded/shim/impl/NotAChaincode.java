package dev.fabricembedded.shim.impl;

/** A class that does not implement Chaincode, for loading tests. */
public final class NotAChaincode {
}
