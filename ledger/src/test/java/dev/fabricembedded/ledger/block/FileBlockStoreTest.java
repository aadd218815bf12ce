package dev.fabricembedded.ledger.block;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.ledger.LedgerInUseException;
import dev.fabricembedded.ledger.testing.Chain;
import dev.fabricembedded.ledger.testing.Crashes;
import dev.fabricembedded.ledger.testing.TestBlocks;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileBlockStoreTest {
    @TempDir
    Path dir;

    private FileBlockStore open() {
        return BlockStore.builder(dir).indexEntries(1000).maxFileSize(1024).open();
    }

    private static List<ByteString> txs(final long block, final int count) {
        final List<ByteString> txs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            txs.add(TestBlocks.endorserTx("tx-" + block + "-" + i, TxReadWriteSet.getDefaultInstance()));
        }
        return txs;
    }

    private static List<Block> appendBlocks(final FileBlockStore store, final Chain chain, final int blocks) {
        final List<Block> appended = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            final long number = chain.nextNumber();
            final Block block = chain.next(txs(number, 3), new byte[]{0, (byte) TxValidationCode.MVCC_READ_CONFLICT_VALUE, 0});
            store.append(block);
            appended.add(block);
        }
        return appended;
    }

    @Test
    void storesAndFindsBlocksByNumberHashAndTransactionId() throws IOException {
        final List<Block> blocks;
        try (FileBlockStore store = open()) {
            blocks = appendBlocks(store, new Chain(), 5);

            assertThat(store.height()).isEqualTo(5);
            assertThat(store.blockByNumber(3)).contains(blocks.get(3));
            assertThat(store.blockByNumber(5)).isEmpty();
            assertThat(store.blockByHash(BlockHashes.blockHash(blocks.get(2)))).contains(blocks.get(2));
            assertThat(store.blockByHash(new byte[32])).isEmpty();
            assertThat(store.transactionLocation("tx-4-1"))
                    .contains(new TransactionLocation(4, 1, TxValidationCode.MVCC_READ_CONFLICT));
            assertThat(store.transactionById("tx-2-2").orElseThrow().toProcessedTransaction().getValidationCode())
                    .isEqualTo(TxValidationCode.VALID_VALUE);
            assertThat(store.blockByTxId("tx-1-0")).contains(blocks.get(1));
            assertThat(store.transactionLocation("unknown")).isEmpty();

            final var info = store.chainInfo();
            assertThat(info.getHeight()).isEqualTo(5);
            assertThat(info.getCurrentBlockHash().toByteArray()).isEqualTo(BlockHashes.blockHash(blocks.get(4)));
            assertThat(info.getPreviousBlockHash()).isEqualTo(blocks.get(4).getHeader().getPreviousHash());
        }
        // the small file size made it roll over several block files; all are found again after reopening
        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                assertThat(store.blockByNumber(i)).contains(blocks.get(i));
            }
            assertThat(store.transactionLocation("tx-0-1").orElseThrow().blockNumber()).isZero();
        }
        assertThat(segments()).hasSizeGreaterThan(1);
    }

    @Test
    void refusesGapsRepeatsWrongPreviousHashAndWrongDataHash() {
        try (FileBlockStore store = open()) {
            final Chain chain = new Chain();
            final Block first = chain.next(txs(0, 1));
            store.append(first);
            final Block second = chain.next(txs(1, 1));

            final Block gap = TestBlocks.block(2, BlockHashes.blockHash(first), txs(2, 1));
            assertThatThrownBy(() -> store.append(gap)).isInstanceOf(BlockRejectedException.class)
                    .hasMessage("block number should have been 1 but was 2")
                    .extracting(e -> ((BlockRejectedException) e).reason())
                    .isEqualTo(BlockRejectedException.Reason.WRONG_NUMBER);
            assertThatThrownBy(() -> store.append(first)).isInstanceOf(BlockRejectedException.class)
                    .hasMessage("block number should have been 1 but was 0");
            final Block badPrevious = TestBlocks.block(1, new byte[32], txs(1, 1));
            assertThatThrownBy(() -> store.append(badPrevious)).isInstanceOf(BlockRejectedException.class)
                    .hasMessageStartingWith("unexpected Previous block hash. Expected PreviousHash = [");
            final Block badData = second.toBuilder().setData(second.getData().toBuilder()
                    .addData(ByteString.copyFromUtf8("extra"))).build();
            assertThatThrownBy(() -> store.append(badData)).isInstanceOf(BlockRejectedException.class)
                    .extracting(e -> ((BlockRejectedException) e).reason())
                    .isEqualTo(BlockRejectedException.Reason.WRONG_DATA_HASH);
            assertThatThrownBy(() -> store.append(Block.getDefaultInstance()))
                    .isInstanceOf(BlockRejectedException.class).hasMessageContaining("has no header");

            assertThat(store.height()).isEqualTo(1);
            store.append(second);
            assertThat(store.height()).isEqualTo(2);
        }
    }

    @Test
    void aDuplicateTransactionIdKeepsItsFirstLocation() {
        try (FileBlockStore store = open()) {
            final Chain chain = new Chain();
            final ByteString tx = TestBlocks.endorserTx("same", TxReadWriteSet.getDefaultInstance());
            store.append(chain.next(List.of(tx), new byte[]{0}));
            store.append(chain.next(List.of(tx, tx), new byte[]{(byte) TxValidationCode.DUPLICATE_TXID_VALUE,
                    (byte) TxValidationCode.DUPLICATE_TXID_VALUE}));

            assertThat(store.transactionLocation("same")).contains(new TransactionLocation(0, 0, TxValidationCode.VALID));
            assertThat(store.containsTxId("same")).isTrue();
        }
    }

    @Test
    void aTornTailIsDroppedAtTheNextOpen() throws IOException {
        final List<Block> blocks;
        try (FileBlockStore store = open()) {
            blocks = appendBlocks(store, new Chain(), 3);
        }
        // a crash in the middle of writing block 3: half a record at the end of the last block file
        final Path last = segments().get(segments().size() - 1);
        final byte[] record = Files.readAllBytes(last);
        Files.write(last, java.util.Arrays.copyOf(record, 30), StandardOpenOption.APPEND);
        final long tornSize = Files.size(last);
        Crashes.leaveDirty(dir, false);

        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(3);
            assertThat(Files.size(last)).isEqualTo(tornSize - 30);
            final Chain chain = new Chain(3, BlockHashes.blockHash(blocks.get(2)));
            appendBlocks(store, chain, 1);
            assertThat(store.height()).isEqualTo(4);
        }
        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(4);
        }
    }

    @Test
    void aCorruptRecordIsCutOffWithEverythingAfterIt() throws IOException {
        try (FileBlockStore store = open()) {
            appendBlocks(store, new Chain(), 6);
        }
        // flip a byte inside block 4's payload: its checksum fails, block 4 and 5 are dropped
        final BlockIndexFile.Entry entry;
        try (BlockIndexFile index = new BlockIndexFile(dir.resolve(FileBlockStore.INDEX_FILE))) {
            entry = index.read(4);
            index.truncate(4); // as if the index write of block 4 had not happened yet
        }
        try (FileChannel channel = FileChannel.open(BlockFiles.segmentPath(dir, entry.segment()),
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, entry.offset() + BlockFiles.HEADER_SIZE + 10);
            one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
            channel.write(one, entry.offset() + BlockFiles.HEADER_SIZE + 10);
        }
        Crashes.leaveDirty(dir, false);

        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(4);
            assertThat(store.transactionLocation("tx-4-0")).isEmpty();
            assertThat(store.transactionLocation("tx-3-0")).isPresent();
        }
    }

    @Test
    void lostIndexesAreRebuiltFromTheBlockFiles() throws IOException {
        final List<Block> blocks;
        try (FileBlockStore store = open()) {
            blocks = appendBlocks(store, new Chain(), 4);
        }
        Files.delete(dir.resolve(FileBlockStore.INDEX_FILE));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path path : files.filter(p -> p.getFileName().toString().startsWith("index-")).toList()) {
                Files.delete(path);
            }
        }
        Crashes.leaveDirty(dir, true);

        try (FileBlockStore store = open()) {
            assertThat(store.height()).isEqualTo(4);
            assertThat(store.blockByNumber(2)).contains(blocks.get(2));
            assertThat(store.blockByHash(BlockHashes.blockHash(blocks.get(3)))).contains(blocks.get(3));
            assertThat(store.transactionLocation("tx-1-1"))
                    .contains(new TransactionLocation(1, 1, TxValidationCode.MVCC_READ_CONFLICT));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsAtOnce() {
        try (FileBlockStore store = open()) {
            assertThatThrownBy(this::open).isInstanceOf(LedgerInUseException.class)
                    .hasMessageContaining(dir.toString()).hasMessageContaining("in use")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat(store.height()).isZero();
        }
        try (FileBlockStore store = open()) {
            assertThat(store.height()).isZero();
        }
    }

    @Test
    void storesNonEndorserTransactionsAndBlocksWithoutFilters() {
        try (FileBlockStore store = open()) {
            final Chain chain = new Chain();
            store.append(chain.next(List.of(TestBlocks.envelope("config-0", HeaderType.CONFIG,
                    ByteString.copyFromUtf8("config"), 1))));
            assertThat(store.transactionLocation("config-0"))
                    .contains(new TransactionLocation(0, 0, TxValidationCode.NOT_VALIDATED));
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(BlockFiles.PREFIX)).sorted().toList();
        }
    }
}
