package dev.fabricembedded.shim.impl;

import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * Identifies one execution on the peer: the peer keys transaction contexts by channel and transaction id, and so
 * does the shim (the same txid may run on two channels, and a chaincode-to-chaincode call on another channel
 * arrives with the caller's txid).
 */
record TxKey(String channelId, String txId) {

    static TxKey of(final ChaincodeMessage message) {
        return new TxKey(message.getChannelId(), message.getTxid());
    }

    /** Fabric's short txid for logs: the first 8 characters. */
    String shortTxId() {
        return txId.length() > 8 ? txId.substring(0, 8) : txId;
    }

    @Override
    public String toString() {
        return "[" + shortTxId() + "]" + (channelId.isEmpty() ? "" : "(" + channelId + ")");
    }
}
