package dev.fabricembedded.jmh.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.endorser.runtime.FileTree;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.ChannelLedgerBuilder;
import dev.fabricembedded.ledger.state.CachedWorldState;
import dev.fabricembedded.ledger.state.ChronicleWorldState;
import dev.fabricembedded.ledger.state.Height;
import dev.fabricembedded.ledger.state.StateKey;
import dev.fabricembedded.ledger.state.StateLimits;
import dev.fabricembedded.ledger.state.UpdateBatch;
import dev.fabricembedded.ledger.storage.MapSizing;
import dev.fabricembedded.ledger.testing.Chain;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import net.openhft.chronicle.map.ChronicleMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * GetState of a random key out of 1 M through the ledger API ({@code QueryExecutor.getState}: checks, key
 * encoding, state cache or Chronicle Map lookup, value copy; {@code getStateByteString}: the same without the copy)
 * against two baselines in the same run:
 * {@code ConcurrentHashMap.get} on the same keys and values (the probe keys are other String instances than the
 * stored ones, as keys arriving from a chaincode message would be, so the map compares contents too), and a bare
 * persisted Chronicle Map of the same sizing and entries read with pre-encoded keys (the floor of the uncached
 * path). Goal: the ledger within 2x of the ConcurrentHashMap.
 *
 * <p>{@link #stateCache} is the ledger's {@code stateCacheBytes}: {@code default} (an eighth of the heap, 384 MB
 * with this fork's 3 GB: every key fits), {@code 64MB} (Fabric's default size: about a quarter of the keys fit) and
 * {@code off} (every read goes to the Chronicle Map). Setup reads every key once through the ledger, so the cache
 * is warm (with 64 MB, holding what the CLOCK kept) when measurement starts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class GetStateBenchmark {
    @Param("1000000")
    int keys;

    @Param({"default", "64MB", "off"})
    String stateCache;

    private Path directory;
    private ChannelLedger ledger;
    private QueryExecutor query;
    private ConcurrentHashMap<String, byte[]> map;
    private ChronicleMap<byte[], byte[]> bareChronicle;
    private CachedWorldState cachedState;
    private byte[][] encodedKeys;
    private StateKey[] stateKeys;
    private String[] probes;
    /** Every stored value is 100 bytes plus the 16-byte version header. */
    private final byte[] reusedValue = new byte[116];

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        directory = Files.createTempDirectory("jmh-getstate");
        final ChannelLedgerBuilder builder = ChannelLedger.builder(directory, "bench").stateEntries(keys * 12L / 10)
                .averageKeySize(20).averageValueSize(100).historyEnabled(false).txIndexEntries(10_000);
        switch (stateCache) {
            case "default" -> { }
            case "64MB" -> builder.stateCacheBytes(64L << 20);
            case "off" -> builder.stateCacheBytes(0);
            default -> throw new IllegalArgumentException("stateCache: default, 64MB or off, was " + stateCache);
        }
        ledger = builder.open();
        final Workload workload = new Workload(keys);
        final Chain chain = new Chain();
        for (int from = 0; from < keys; from += 20_000) {
            ledger.commit(chain.next(List.of(workload.load(chain.nextNumber(), from, 20_000))));
        }
        map = new ConcurrentHashMap<>(keys * 2);
        bareChronicle = ChronicleMap.of(byte[].class, byte[].class).entries(keys * 12L / 10).averageKeySize(20)
                .averageValueSize(116).createPersistedTo(directory.resolve("bare.cm").toFile());
        probes = new String[keys];
        encodedKeys = new byte[keys][];
        stateKeys = new StateKey[keys];
        try (QueryExecutor loader = ledger.newQueryExecutor()) {
            for (int i = 0; i < keys; i++) {
                final String key = Workload.key(i);
                final byte[] value = loader.getState(Workload.NAMESPACE, key);
                map.put(key, value);
                probes[i] = new String(key.toCharArray());
                encodedKeys[i] = StateKey.encode(Workload.NAMESPACE, key);
                stateKeys[i] = StateKey.fromBytes(encodedKeys[i]);
                // the same entry size as the ledger stores: a 16-byte version header before the value
                bareChronicle.put(encodedKeys[i], java.util.Arrays.copyOf(value, value.length + 16));
            }
        }
        query = ledger.newQueryExecutor();
        if (!"off".equals(stateCache)) {
            // the cache alone, read with pre-encoded keys: splits a hit from the ledger's key handling
            final StateLimits limits = StateLimits.withMaxValueSize(1024);
            cachedState = new CachedWorldState(ChronicleWorldState.open(Files.createDirectories(
                    directory.resolve("cached")), new MapSizing(keys * 12L / 10, 20, 116, limits.maxEntrySize(), 2.0),
                    limits, false), "64MB".equals(stateCache) ? 64L << 20 : Runtime.getRuntime().maxMemory() / 8);
            final UpdateBatch batch = new UpdateBatch();
            for (int i = 0; i < keys; i++) {
                batch.put(stateKeys[i], map.get(probes[i]), new byte[0], new Height(0, i));
            }
            cachedState.apply(batch, 0, false);
            for (int i = 0; i < keys; i++) {
                cachedState.value(stateKeys[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        query.done();
        ledger.close();
        bareChronicle.close();
        if (cachedState != null) {
            cachedState.close();
        }
        FileTree.delete(directory);
    }

    @Benchmark
    public byte[] ledgerGetState() {
        return query.getState(Workload.NAMESPACE, probes[ThreadLocalRandom.current().nextInt(keys)]);
    }

    /**
     * {@code QueryExecutor.getStateByteString}: the same read as {@link #ledgerGetState} handing out a read-only view
     * of the committed bytes instead of a copy, as the peer does when it answers a chaincode's GET_STATE. Like the
     * map's {@code get}, it returns a reference without touching the value's bytes.
     */
    @Benchmark
    public ByteString ledgerGetStateByteString() {
        return query.getStateByteString(Workload.NAMESPACE, probes[ThreadLocalRandom.current().nextInt(keys)]);
    }

    @Benchmark
    public byte[] bareChronicleMapGet() {
        return bareChronicle.get(encodedKeys[ThreadLocalRandom.current().nextInt(keys)]);
    }

    /**
     * The bare map read into a reused value array ({@code getUsing}): Chronicle's lookup without the value
     * allocation, to tell the lookup (segment lock, hash, memory-mapped probe) from the copy out of the file.
     */
    @Benchmark
    public byte[] bareChronicleMapGetUsing() {
        return bareChronicle.getUsing(encodedKeys[ThreadLocalRandom.current().nextInt(keys)], reusedValue);
    }

    /**
     * {@code CachedWorldState.value} with pre-made keys (their hashes computed in set-up), all cached (with {@code 64MB}: ~30% of them): a hit
     * without the ledger's key checks and encoding (not run with {@code off}).
     */
    @Benchmark
    public byte[] cachedStateValue() {
        return cachedState == null ? null : cachedState.value(stateKeys[ThreadLocalRandom.current().nextInt(keys)]);
    }

    @Benchmark
    public byte[] concurrentHashMapGet() {
        return map.get(probes[ThreadLocalRandom.current().nextInt(keys)]);
    }
}
