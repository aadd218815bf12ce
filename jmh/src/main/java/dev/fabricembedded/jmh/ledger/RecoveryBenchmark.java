package dev.fabricembedded.jmh.ledger;

import dev.fabricembedded.endorser.runtime.FileTree;
import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.block.BlockStore;
import dev.fabricembedded.ledger.testing.Chain;
import dev.fabricembedded.ledger.validation.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Recovery time: opening a ledger whose block store holds 10,000 blocks (10 transactions of 2 reads + 2 writes
 * each) that its state and history have not seen (a state lost or 10,000 blocks behind after a crash), so the
 * open re-applies every block trusting its stored flags. Baseline in the same run: opening the block store alone
 * and reading and parsing the same 10,000 blocks and 100,000 transactions without applying them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class RecoveryBenchmark {
    static final int BLOCKS = 10_000;
    static final int TXS_PER_BLOCK = 10;
    static final int KEYS = 100_000;

    private Path template;
    private Path work;

    private static ChannelLedger open(final Path directory) {
        return ChannelLedger.builder(directory, "bench").stateEntries(KEYS * 3L / 2).averageKeySize(20)
                .averageValueSize(100).historyEntries(KEYS * 3L / 2).txIndexEntries(200_000).open();
    }

    @Setup(Level.Trial)
    public void buildChain() throws Exception {
        template = Files.createTempDirectory("jmh-recovery-template");
        final Workload workload = new Workload(KEYS);
        final Chain chain = new Chain();
        try (ChannelLedger ledger = open(template)) {
            for (int b = 0; b < BLOCKS; b++) {
                ledger.commit(chain.next(workload.block(chain.nextNumber(), TXS_PER_BLOCK)));
            }
        }
        // keep only the block store: state and history must be rebuilt from it
        FileTree.delete(template.resolve("state"));
        FileTree.delete(template.resolve("history"));
    }

    @Setup(Level.Invocation)
    public void copyTemplate() throws IOException {
        work = Files.createTempDirectory("jmh-recovery");
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : files.toList()) {
                final Path target = work.resolve(template.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @TearDown(Level.Invocation)
    public void deleteCopy() throws IOException {
        FileTree.delete(work);
    }

    @TearDown(Level.Trial)
    public void deleteTemplate() throws IOException {
        FileTree.delete(template);
    }

    @Benchmark
    public long reopenReplaying10000Blocks() {
        try (ChannelLedger ledger = open(work)) {
            if (ledger.height() != BLOCKS) {
                throw new IllegalStateException("height " + ledger.height());
            }
            return ledger.height();
        }
    }

    @Benchmark
    public long readAndParse10000Blocks() {
        long transactions = 0;
        try (BlockStore blocks = BlockStore.builder(work.resolve("blocks")).indexEntries(200_000).open()) {
            for (long n = 0; n < blocks.height(); n++) {
                final Block block = blocks.blockByNumber(n).orElseThrow();
                for (int i = 0; i < block.getData().getDataCount(); i++) {
                    final ByteString envelope = block.getData().getData(i);
                    transactions += TransactionParser.parse(i, envelope).rwsets().size();
                }
            }
        }
        return transactions;
    }
}
