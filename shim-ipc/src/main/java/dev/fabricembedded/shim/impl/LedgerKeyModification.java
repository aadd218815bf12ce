package dev.fabricembedded.shim.impl;

import dev.fabricembedded.shim.ledger.KeyModification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A {@link KeyModification} backed by the peer's {@code queryresult.KeyModification}. */
record LedgerKeyModification(org.hyperledger.fabric.protos.ledger.queryresult.KeyModification modification)
        implements KeyModification {

    @Override
    public String getTxId() {
        return modification.getTxId();
    }

    @Override
    public byte[] getValue() {
        return modification.getValue().toByteArray();
    }

    @Override
    public String getStringValue() {
        return modification.getValue().toString(StandardCharsets.UTF_8);
    }

    @Override
    public Instant getTimestamp() {
        if (!modification.hasTimestamp()) {
            return null;
        }
        return Instant.ofEpochSecond(modification.getTimestamp().getSeconds(), modification.getTimestamp().getNanos());
    }

    @Override
    public boolean isDeleted() {
        return modification.getIsDelete();
    }

    @Override
    public String toString() {
        return "KeyModification{txId='" + getTxId() + "', deleted=" + isDeleted() + ", value="
                + modification.getValue().size() + " bytes}";
    }
}
