package dev.fabricembedded.ledger.state;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.LedgerException;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataEntry;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVMetadataWrite;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How key metadata is stored: the serialized {@code KVMetadataWrite} of its entries, sorted by name (Fabric's
 * {@code statemetadata.Serialize}); no entries is stored as no bytes. Stateless.
 */
public final class StateMetadata {
    private static final byte[] NONE = new byte[0];

    private StateMetadata() {
    }

    /** Stored form of metadata entries (already sorted, as in an rwset); empty array for none. */
    public static byte[] serialize(final List<KVMetadataEntry> entries) {
        if (entries.isEmpty()) {
            return NONE;
        }
        return KVMetadataWrite.newBuilder().addAllEntries(entries).build().toByteArray();
    }

    /** Entries of a name-to-value map, sorted by name in UTF-8 order. */
    public static List<KVMetadataEntry> entries(final Map<String, byte[]> metadata) {
        final TreeMap<String, byte[]> sorted = new TreeMap<>(KeyOrder.INSTANCE);
        sorted.putAll(metadata);
        return sorted.entrySet().stream()
                .map(e -> KVMetadataEntry.newBuilder().setName(e.getKey()).setValue(ByteString.copyFrom(e.getValue()))
                        .build())
                .toList();
    }

    /** The name-to-value map of stored metadata (ordered by name); empty for none. */
    public static Map<String, byte[]> deserialize(final byte[] stored) {
        if (stored == null || stored.length == 0) {
            return Collections.emptyMap();
        }
        try {
            final Map<String, byte[]> map = new LinkedHashMap<>();
            for (KVMetadataEntry entry : KVMetadataWrite.parseFrom(stored).getEntriesList()) {
                map.put(entry.getName(), entry.getValue().toByteArray());
            }
            return Collections.unmodifiableMap(map);
        } catch (InvalidProtocolBufferException e) {
            throw new LedgerException("stored key metadata is corrupt: " + e.getMessage(), e);
        }
    }
}
