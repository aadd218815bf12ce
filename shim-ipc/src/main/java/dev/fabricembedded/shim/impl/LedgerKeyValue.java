package dev.fabricembedded.shim.impl;

import dev.fabricembedded.shim.ledger.KeyValue;
import java.nio.charset.StandardCharsets;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;

/** A {@link KeyValue} backed by the peer's {@code queryresult.KV}. */
record LedgerKeyValue(KV kv) implements KeyValue {

    @Override
    public String getKey() {
        return kv.getKey();
    }

    @Override
    public byte[] getValue() {
        return kv.getValue().toByteArray();
    }

    @Override
    public String getStringValue() {
        return kv.getValue().toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KeyValue{key='" + kv.getKey() + "', value=" + kv.getValue().size() + " bytes}";
    }
}
