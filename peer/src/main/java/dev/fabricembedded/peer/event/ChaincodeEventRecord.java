package dev.fabricembedded.peer.event;

import org.hyperledger.fabric.protos.peer.ChaincodeEvent;

import java.util.Objects;

/**
 * A chaincode event of a committed, valid transaction (Fabric's {@code ChaincodeEvent} as delivered to listeners:
 * only transactions that were committed as {@code VALID} emit their event).
 *
 * @param blockNumber the block that committed the transaction
 * @param txId        the transaction id
 * @param event       the event the chaincode set ({@code chaincode_id}, {@code tx_id}, {@code event_name},
 *                    {@code payload})
 */
public record ChaincodeEventRecord(long blockNumber, String txId, ChaincodeEvent event) {

    public ChaincodeEventRecord {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(event, "event");
    }

    /** The chaincode that set the event. */
    public String chaincodeName() {
        return event.getChaincodeId();
    }

    /** The event name. */
    public String eventName() {
        return event.getEventName();
    }
}
