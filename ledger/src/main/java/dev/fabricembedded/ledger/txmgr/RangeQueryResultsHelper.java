package dev.fabricembedded.ledger.txmgr;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReadsMerkleSummary;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarizes the results of a range query for the phantom check, exactly as Fabric's
 * {@code rwsetutil.RangeQueryResultsHelper} so that read-write sets are byte-identical to a Fabric peer's.
 *
 * <p>Up to {@code maxDegree} results are kept as raw {@code KVRead}s. Beyond that, every {@code maxDegree + 1}
 * results are serialized as {@code QueryReads} and hashed (SHA-256) into a leaf of a Merkle tree; a level with
 * more than {@code maxDegree} hashes is hashed (concatenated) into one node of the level above. The summary is
 * the top level's hashes, the level number and the degree. Fabric's peers use hashing with degree 50.
 * Not thread-safe; one per range query.
 */
public final class RangeQueryResultsHelper {
    /** Fabric's default {@code maxDegreeQueryReadsHashing}. */
    public static final int DEFAULT_MAX_DEGREE = 50;

    /**
     * What {@link #done()} produces: raw reads if there were few results, otherwise a Merkle summary.
     *
     * @param rawReads the raw reads (empty when summarized)
     * @param summary  the Merkle summary, or null
     */
    public record Result(List<KVRead> rawReads, QueryReadsMerkleSummary summary) {
    }

    private final int maxDegree;
    private final boolean hashing;
    private final Map<Integer, List<byte[]>> tree = new HashMap<>();
    private int maxLevel = 1;
    private List<KVRead> pending = new ArrayList<>();

    /**
     * @param hashing   summarize beyond {@code maxDegree} results (true on Fabric peers)
     * @param maxDegree the tree degree, at least 2
     */
    public RangeQueryResultsHelper(final boolean hashing, final int maxDegree) {
        if (hashing && maxDegree < 2) {
            throw new IllegalArgumentException("maxDegree [" + maxDegree
                    + "] should not be less than 2 in the merkle tree");
        }
        this.hashing = hashing;
        this.maxDegree = maxDegree;
    }

    /** Adds the next result, in iteration order. */
    public void addResult(final KVRead read) {
        pending.add(read);
        if (hashing && pending.size() > maxDegree) {
            processPending();
        }
    }

    /** Finishes; call once after the last result. */
    public Result done() {
        if (!hashing || isTreeEmpty()) {
            return new Result(pending, null);
        }
        if (!pending.isEmpty()) {
            processPending();
        }
        completeTree();
        return new Result(pending, summary());
    }

    private boolean isTreeEmpty() {
        return maxLevel == 1 && tree.getOrDefault(1, List.of()).isEmpty();
    }

    private void processPending() {
        final byte[] serialized = QueryReads.newBuilder().addAllKvReads(pending).build().toByteArray();
        pending = new ArrayList<>();
        update(sha256(serialized));
    }

    private void update(final byte[] leaf) {
        tree.computeIfAbsent(1, level -> new ArrayList<>()).add(leaf);
        int level = 1;
        while (true) {
            final List<byte[]> hashes = tree.getOrDefault(level, List.of());
            if (hashes.size() <= maxDegree) {
                return;
            }
            final byte[] combined = combine(hashes);
            tree.remove(level);
            final int next = level + 1;
            tree.computeIfAbsent(next, l -> new ArrayList<>()).add(combined);
            maxLevel = Math.max(maxLevel, next);
            level = next;
        }
    }

    private void completeTree() {
        int level = 1;
        while (level < maxLevel) {
            final List<byte[]> hashes = tree.getOrDefault(level, List.of());
            if (hashes.isEmpty()) {
                level++;
                continue;
            }
            final byte[] hash = hashes.size() == 1 ? hashes.get(0) : combine(hashes);
            tree.remove(level);
            level++;
            tree.computeIfAbsent(level, l -> new ArrayList<>()).add(hash);
        }
        final List<byte[]> top = tree.getOrDefault(maxLevel, List.of());
        if (top.size() > maxDegree) {
            tree.remove(maxLevel);
            maxLevel++;
            tree.put(maxLevel, new ArrayList<>(List.of(combine(top))));
        }
    }

    private QueryReadsMerkleSummary summary() {
        final QueryReadsMerkleSummary.Builder summary = QueryReadsMerkleSummary.newBuilder()
                .setMaxDegree(maxDegree).setMaxLevel(maxLevel);
        for (byte[] hash : tree.getOrDefault(maxLevel, List.of())) {
            summary.addMaxLevelHashes(ByteString.copyFrom(hash));
        }
        return summary.build();
    }

    private static byte[] combine(final List<byte[]> hashes) {
        final MessageDigest digest = digest();
        for (byte[] hash : hashes) {
            digest.update(hash);
        }
        return digest.digest();
    }

    private static byte[] sha256(final byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
