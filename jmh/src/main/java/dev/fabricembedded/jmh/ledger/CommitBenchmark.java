package dev.fabricembedded.jmh.ledger;

import dev.fabricembedded.endorser.runtime.FileTree;
import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.ledger.state.Height;
import dev.fabricembedded.ledger.testing.Chain;
import dev.fabricembedded.ledger.validation.NamespaceRwSet;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
import java.util.concurrent.TimeUnit;

/**
 * MVCC validation + commit of 500-transaction blocks, each transaction reading 2 keys and writing them (no
 * signature work), on a ledger of 100,000 keys: parsing, version checks, duplicate-txid lookups, the block
 * appended and fsynced, the state batch applied with its savepoint, the history indexed (param). Reported as
 * transactions per second. Baseline in the same run: the same blocks parsed and MVCC-checked against a
 * ConcurrentHashMap of versions and applied to it (in memory, nothing durable). Goal: 50,000 tx/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(CommitBenchmark.TXS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class CommitBenchmark {
    static final int TXS = 500;
    static final int KEYS = 100_000;

    /** A ledger loaded with {@link #KEYS} keys and the next block prepared before each invocation. */
    @State(Scope.Benchmark)
    public static class LedgerState {
        @Param({"true", "false"})
        boolean history;

        Path directory;
        ChannelLedger ledger;
        Workload workload;
        Chain chain;
        Block next;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            directory = Files.createTempDirectory("jmh-commit");
            ledger = ChannelLedger.builder(directory, "bench").stateEntries(KEYS * 3L / 2).averageKeySize(20)
                    .averageValueSize(100).historyEnabled(history)
                    .txIndexEntries(2_000_000) // sized for the run, as a production chain would be: no growth pauses
                    .open();
            workload = new Workload(KEYS);
            chain = new Chain();
            for (int from = 0; from < KEYS; from += 20_000) {
                ledger.commit(chain.next(List.of(workload.load(chain.nextNumber(), from, 20_000))));
            }
        }

        @Setup(Level.Invocation)
        public void prepareBlock() {
            next = chain.next(workload.block(chain.nextNumber(), TXS));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            ledger.close();
            FileTree.delete(directory);
        }
    }

    /** The baseline's state: versions and values in a ConcurrentHashMap. */
    @State(Scope.Benchmark)
    public static class MapState {
        record Entry(byte[] value, Height version) {
        }

        final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
        Workload workload;
        Chain chain;
        Block next;

        @Setup(Level.Trial)
        public void setUp() {
            workload = new Workload(KEYS);
            chain = new Chain();
            for (int from = 0; from < KEYS; from += 20_000) {
                apply(this, chain.next(List.of(workload.load(chain.nextNumber(), from, 20_000))));
            }
        }

        @Setup(Level.Invocation)
        public void prepareBlock() {
            next = chain.next(workload.block(chain.nextNumber(), TXS));
        }
    }

    @Benchmark
    public CommitResult ledgerCommit(final LedgerState state) {
        final CommitResult result = state.ledger.commit(state.next);
        if (result.validCount() != TXS) {
            throw new IllegalStateException("only " + result.validCount() + " of " + TXS + " transactions valid");
        }
        return result;
    }

    @Benchmark
    public int concurrentHashMapMvcc(final MapState state) {
        final int valid = apply(state, state.next);
        if (valid != TXS) {
            throw new IllegalStateException("only " + valid + " of " + TXS + " transactions valid");
        }
        return valid;
    }

    /** Parses each transaction, checks its reads against the map's versions, applies its writes. */
    static int apply(final MapState state, final Block block) {
        final long number = block.getHeader().getNumber();
        int valid = 0;
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            final ByteString envelope = block.getData().getData(i);
            final ParsedTransaction tx = TransactionParser.parse(i, envelope);
            boolean ok = tx.parseFailure() == null;
            for (NamespaceRwSet ns : tx.rwsets()) {
                for (KVRead read : ns.rwset().getReadsList()) {
                    final MapState.Entry entry = state.map.get(ns.namespace() + '\u0000' + read.getKey());
                    final Height expected = Height.fromProto(read.hasVersion(), read.getVersion());
                    ok &= entry == null ? expected == null : entry.version().equals(expected);
                }
            }
            if (ok) {
                valid++;
                final Height version = new Height(number, i);
                for (NamespaceRwSet ns : tx.rwsets()) {
                    for (KVWrite write : ns.rwset().getWritesList()) {
                        state.map.put(ns.namespace() + '\u0000' + write.getKey(),
                                new MapState.Entry(write.getValue().toByteArray(), version));
                    }
                }
            }
        }
        return valid;
    }
}
