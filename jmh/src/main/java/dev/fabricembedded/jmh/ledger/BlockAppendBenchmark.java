package dev.fabricembedded.jmh.ledger;

import dev.fabricembedded.endorser.runtime.FileTree;
import net.openhft.chronicle.bytes.SyncMode;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Why the block store is plain files: a durable append of one serialized block (checksummed record, then
 * {@code fdatasync}) on a {@link FileChannel}, as the block store does, against appending the same bytes to a
 * Chronicle Queue and making them durable with {@code ExcerptAppender.sync()} (an {@code msync} of the mapped
 * excerpt). Both settings are needed, traced with strace over 200 appends: {@code SyncMode.SYNC} alone issued 2
 * {@code msync} calls; {@code sync()} alone issued 202 asynchronous ones (~6 µs each, not waiting for the disk);
 * together 202 synchronous ones (~130-430 µs each). Anything less lets an acknowledged block vanish in a power cut. Block sizes: a 10-transaction
 * block (~5 KB) and a 500-transaction block (~250 KB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "-Dchronicle.analytics.disable=true",
        "-Dchronicle.announcer.disable=true", "-Dchronicle.disk.monitor.disable=true"})
public class BlockAppendBenchmark {
    @Param({"5000", "250000"})
    int blockBytes;

    private Path directory;
    private byte[] block;
    private FileChannel file;
    private long position;
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("jmh-append");
        block = new byte[blockBytes];
        new Random(1).nextBytes(block);
        file = FileChannel.open(directory.resolve("blockfile"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        // SYNC makes appender.sync() a synchronous msync; without it the msync does not wait (strace)
        queue = SingleChronicleQueueBuilder.binary(directory.resolve("queue")).rollCycle(RollCycles.FAST_DAILY)
                .syncMode(SyncMode.SYNC).build();
        appender = queue.createAppender();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        appender.close();
        queue.close();
        file.close();
        FileTree.delete(directory);
    }

    @Benchmark
    public long fileChannelAppendAndSync() throws IOException {
        final CRC32C crc = new CRC32C();
        crc.update(block);
        final ByteBuffer header = ByteBuffer.allocate(20).putInt(0x46424C4B).putInt(block.length).putLong(position)
                .putInt((int) crc.getValue()).flip();
        final ByteBuffer body = ByteBuffer.wrap(block);
        file.position(position);
        while (header.hasRemaining() || body.hasRemaining()) {
            file.write(new ByteBuffer[]{header, body});
        }
        file.force(false);
        position += 20 + block.length;
        return position;
    }

    @Benchmark
    public long chronicleQueueAppendAndSync() {
        appender.writeBytes(bytes -> bytes.write(block));
        appender.sync();
        return appender.lastIndexAppended();
    }
}
