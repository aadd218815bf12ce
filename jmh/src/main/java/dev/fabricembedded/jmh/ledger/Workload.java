package dev.fabricembedded.jmh.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.testing.TestBlocks;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic transactions for the commit and recovery benchmarks: transaction {@code i} of a block reads two
 * keys at the versions they were last written with and writes both (so every transaction is valid and no two
 * transactions of a block touch the same key), cycling through the key space block after block. Knows every
 * key's current version because it wrote them all. Not thread-safe.
 */
final class Workload {
    static final String NAMESPACE = "bench";
    private final int keys;
    private final long[] blocks;
    private final int[] txs;
    private final boolean[] exists;
    private final Random random = new Random(42);
    private int cursor;

    Workload(final int keys) {
        this.keys = keys;
        this.blocks = new long[keys];
        this.txs = new int[keys];
        this.exists = new boolean[keys];
    }

    static String key(final int index) {
        return String.format("asset-%08d", index);
    }

    /** Envelopes of one block: {@code count} transactions of 2 reads + 2 writes, valid against current state. */
    List<ByteString> block(final long number, final int count) {
        final List<ByteString> envelopes = new ArrayList<>(count);
        for (int t = 0; t < count; t++) {
            final KVRWSet.Builder rwset = KVRWSet.newBuilder();
            final int first = cursor;
            final int second = (cursor + 1) % keys;
            cursor = (cursor + 2) % keys;
            for (int k : new int[]{first, second}) {
                final KVRead.Builder read = KVRead.newBuilder().setKey(key(k));
                if (exists[k]) {
                    read.setVersion(Version.newBuilder().setBlockNum(blocks[k]).setTxNum(txs[k]));
                }
                rwset.addReads(read);
            }
            for (int k : new int[]{first, second}) {
                final byte[] value = new byte[100];
                random.nextBytes(value);
                rwset.addWrites(KVWrite.newBuilder().setKey(key(k)).setValue(ByteString.copyFrom(value)));
                blocks[k] = number;
                txs[k] = t;
                exists[k] = true;
            }
            final TxReadWriteSet set = TxReadWriteSet.newBuilder().addNsRwset(NsReadWriteSet.newBuilder()
                    .setNamespace(NAMESPACE).setRwset(rwset.build().toByteString())).build();
            envelopes.add(TestBlocks.endorserTx(String.format("tx-%d-%d", number, t), set));
        }
        return envelopes;
    }

    /** One transaction writing {@code count} keys from {@code from} (to load the state). */
    ByteString load(final long number, final int from, final int count) {
        final KVRWSet.Builder rwset = KVRWSet.newBuilder();
        for (int k = from; k < from + count && k < keys; k++) {
            final byte[] value = new byte[100];
            random.nextBytes(value);
            rwset.addWrites(KVWrite.newBuilder().setKey(key(k)).setValue(ByteString.copyFrom(value)));
            blocks[k] = number;
            txs[k] = 0;
            exists[k] = true;
        }
        final TxReadWriteSet set = TxReadWriteSet.newBuilder().addNsRwset(NsReadWriteSet.newBuilder()
                .setNamespace(NAMESPACE).setRwset(rwset.build().toByteString())).build();
        return TestBlocks.endorserTx("load-" + number, set);
    }

}

