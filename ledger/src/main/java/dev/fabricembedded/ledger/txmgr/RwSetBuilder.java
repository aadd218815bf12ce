package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.state.Height;
import dev.fabricembedded.ledger.state.KeyOrder;
import dev.fabricembedded.ledger.state.StateMetadata;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects a simulation's reads, writes, metadata writes and range queries and builds Fabric's
 * {@code TxReadWriteSet} (fabric-1.4-flow.md §6.11, {@code rwsetutil.RWSetBuilder}): namespaces, reads, writes
 * and metadata writes sorted by key in UTF-8 byte order; range queries in the order they were added, a repeat
 * of the same (start, end, exhausted) kept once; a repeated read or write of a key keeps the last one.
 * Owned by one simulator.
 */
final class RwSetBuilder {

    private static final class Namespace {
        final TreeMap<String, KVRead> reads = new TreeMap<>(KeyOrder.INSTANCE);
        final TreeMap<String, KVWrite> writes = new TreeMap<>(KeyOrder.INSTANCE);
        final TreeMap<String, KVMetadataWrite> metadataWrites = new TreeMap<>(KeyOrder.INSTANCE);
        final LinkedHashMap<List<Object>, RangeQueryInfo> rangeQueries = new LinkedHashMap<>();
    }

    private final TreeMap<String, Namespace> namespaces = new TreeMap<>(KeyOrder.INSTANCE);

    private Namespace namespace(final String name) {
        return namespaces.computeIfAbsent(name, n -> new Namespace());
    }

    void addRead(final String ns, final String key, final Height version) {
        final KVRead.Builder read = KVRead.newBuilder().setKey(key);
        if (version != null) {
            read.setVersion(version.toProto());
        }
        namespace(ns).reads.put(key, read.build());
    }

    /** A null or empty value is a delete (Fabric: {@code IsDelete: value == nil}). */
    void addWrite(final String ns, final String key, final byte[] value) {
        final KVWrite.Builder write = KVWrite.newBuilder().setKey(key);
        if (value == null || value.length == 0) {
            write.setIsDelete(true);
        } else {
            write.setValue(ByteString.copyFrom(value));
        }
        namespace(ns).writes.put(key, write.build());
    }

    /** An empty map deletes the key's metadata. */
    void addMetadataWrite(final String ns, final String key, final Map<String, byte[]> metadata) {
        namespace(ns).metadataWrites.put(key, KVMetadataWrite.newBuilder().setKey(key)
                .addAllEntries(StateMetadata.entries(metadata)).build());
    }

    void addRangeQuery(final String ns, final RangeQueryInfo info) {
        namespace(ns).rangeQueries.putIfAbsent(List.of(info.getStartKey(), info.getEndKey(), info.getItrExhausted()),
                info);
    }

    TxReadWriteSet build() {
        final TxReadWriteSet.Builder set = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV);
        for (Map.Entry<String, Namespace> entry : namespaces.entrySet()) {
            final Namespace ns = entry.getValue();
            final KVRWSet kv = KVRWSet.newBuilder()
                    .addAllReads(ns.reads.values())
                    .addAllRangeQueriesInfo(ns.rangeQueries.values())
                    .addAllWrites(ns.writes.values())
                    .addAllMetadataWrites(ns.metadataWrites.values())
                    .build();
            set.addNsRwset(NsReadWriteSet.newBuilder().setNamespace(entry.getKey()).setRwset(kv.toByteString()));
        }
        return set.build();
    }
}
