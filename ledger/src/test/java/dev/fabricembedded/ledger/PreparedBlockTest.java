package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.HashCheckedBlock;
import dev.fabricembedded.ledger.block.TransactionLocation;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.testing.TestBlocks;
import dev.fabricembedded.ledger.txmgr.QueryExecutor;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.fabricembedded.ledger.testing.Ledgers.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.DUPLICATE_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.MVCC_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

/** {@link ChannelLedger#commit(PreparedBlock)}: the outcome of {@link ChannelLedger#commit(Block)}, prepared earlier. */
class PreparedBlockTest {
    @TempDir
    Path dir;

    private static byte[] get(final ChannelLedger ledger, final String namespace, final String key) {
        try (QueryExecutor query = ledger.newQueryExecutor()) {
            return query.getState(namespace, key);
        }
    }

    /** The first block: transaction "seed" writing keys a and b. */
    private static Block seedBlock(final ChannelLedger ledger) {
        return Ledgers.nextBlock(ledger, List.of(Ledgers.simulate(ledger, "seed", sim -> {
            sim.setState("cc", "a", bytes("1"));
            sim.setState("cc", "b", bytes("1"));
        })));
    }

    @Test
    void aPreparedBlockIsStoredAndAppliedExactlyAsTheSameBlockCommittedDirectly(@TempDir final Path other) {
        try (ChannelLedger direct = Ledgers.small(dir).open(); ChannelLedger prepared = Ledgers.small(other).open()) {
            for (ChannelLedger ledger : List.of(direct, prepared)) {
                commit(ledger, seedBlock(ledger), ledger == prepared);
            }
            // the same second block for both: an MVCC conflict inside the block, a duplicate within the block and one
            // against the index, a transaction already marked invalid, and a valid write
            final ByteString winner = Ledgers.simulate(direct, "winner", sim -> {
                sim.getState("cc", "a");
                sim.setState("cc", "a", bytes("2"));
            });
            final ByteString loser = Ledgers.simulate(direct, "loser", sim -> {
                sim.getState("cc", "a");
                sim.setState("cc", "a", bytes("3"));
            });
            final ByteString replay = Ledgers.simulate(direct, "seed", sim -> sim.setState("cc", "b", bytes("2")));
            final ByteString twiceA = Ledgers.simulate(direct, "twice", sim -> sim.setState("cc", "c", bytes("1")));
            final ByteString twiceB = Ledgers.simulate(direct, "twice", sim -> sim.setState("cc", "d", bytes("1")));
            final ByteString refused = Ledgers.simulate(direct, "refused", sim -> sim.setState("cc", "e", bytes("1")));
            final byte[] filter = {0, 0, 0, 0, 0, (byte) ENDORSEMENT_POLICY_FAILURE.getNumber()};
            final Block block = Ledgers.nextBlock(direct, List.of(winner, loser, replay, twiceA, twiceB, refused),
                    filter);

            final CommitResult directResult = commit(direct, block, false);
            final CommitResult preparedResult = commit(prepared, block, true);

            assertThat(preparedResult.block()).isEqualTo(directResult.block());
            assertThat(preparedResult.block().getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE)
                    .toByteArray()).containsExactly(VALID.getNumber(), MVCC_READ_CONFLICT.getNumber(),
                    DUPLICATE_TXID.getNumber(), VALID.getNumber(), DUPLICATE_TXID.getNumber(),
                    ENDORSEMENT_POLICY_FAILURE.getNumber());
            assertThat(prepared.blockStore().blockByNumber(1)).contains(direct.blockStore().blockByNumber(1)
                    .orElseThrow());
            assertThat(prepared.chainInfo()).isEqualTo(direct.chainInfo());
            for (String key : List.of("a", "b", "c", "d", "e")) {
                assertThat(get(prepared, "cc", key)).as(key).isEqualTo(get(direct, "cc", key));
            }
            assertThat(get(prepared, "cc", "a")).isEqualTo(bytes("2"));
            assertThat(prepared.blockStore().transactionLocation("twice"))
                    .contains(new TransactionLocation(1, 3, VALID));
            assertThat(prepared.blockStore().transactionLocation("seed"))
                    .contains(new TransactionLocation(0, 0, VALID));
        }
    }

    private static CommitResult commit(final ChannelLedger ledger, final Block block, final boolean prepare) {
        return prepare ? ledger.commit(PreparedBlock.of(block)) : ledger.commit(block);
    }

    @Test
    void theMetadataGivenAfterThePreparationDecidesTheInitialCodes() {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            final ByteString first = Ledgers.simulate(ledger, "first", sim -> sim.setState("cc", "a", bytes("1")));
            final ByteString second = Ledgers.simulate(ledger, "second", sim -> sim.setState("cc", "b", bytes("1")));
            final Block unvalidated = Ledgers.nextBlock(ledger, List.of(first, second));
            final PreparedBlock prepared = PreparedBlock.of(unvalidated);
            // what a validator does after the preparation: the block's metadata with its codes
            final BlockMetadata validated = BlockMetadata.newBuilder()
                    .addMetadata(ByteString.EMPTY).addMetadata(ByteString.EMPTY)
                    .addMetadata(ByteString.copyFrom(new byte[]{(byte) ENDORSEMENT_POLICY_FAILURE.getNumber(), 0}))
                    .build();

            final CommitResult result = ledger.commit(prepared.withMetadata(validated));

            assertThat(result.code(0)).isEqualTo(ENDORSEMENT_POLICY_FAILURE);
            assertThat(result.code(1)).isEqualTo(VALID);
            assertThat(get(ledger, "cc", "a")).isNull();
            assertThat(get(ledger, "cc", "b")).isEqualTo(bytes("1"));
            assertThat(result.block().getData()).isEqualTo(unvalidated.getData());
            assertThat(ledger.blockStore().blockByNumber(0)).contains(result.block());
        }
    }

    @Test
    void aTamperedBlockIsRefusedByThePreparationAndAMisplacedOneByTheCommitChangingNothing() {
        try (ChannelLedger ledger = Ledgers.small(dir).open()) {
            Ledgers.commitTx(ledger, "seed", sim -> sim.setState("cc", "a", bytes("1")));
            final ByteString write = Ledgers.simulate(ledger, "w", sim -> sim.setState("cc", "a", bytes("2")));
            final byte[] lastHash = ledger.chainInfo().getCurrentBlockHash().toByteArray();
            final Block good = TestBlocks.block(1, lastHash, List.of(write));
            final Block tampered = good.toBuilder().setData(good.getData().toBuilder().setData(0,
                    Ledgers.simulate(ledger, "evil", sim -> sim.setState("cc", "a", bytes("evil"))))).build();

            assertThatThrownBy(() -> PreparedBlock.of(tampered)).isInstanceOf(BlockRejectedException.class)
                    .hasMessageContaining("data hash mismatch")
                    .extracting(e -> ((BlockRejectedException) e).reason())
                    .isEqualTo(BlockRejectedException.Reason.WRONG_DATA_HASH);
            assertThatThrownBy(() -> PreparedBlock.of(Block.getDefaultInstance()))
                    .isInstanceOf(BlockRejectedException.class).hasMessageContaining("has no header");
            final PreparedBlock ahead = PreparedBlock.of(TestBlocks.block(2, lastHash, List.of(write)));
            assertThatThrownBy(() -> ledger.commit(ahead)).isInstanceOf(BlockRejectedException.class)
                    .hasMessage("block number should have been 1 but was 2");
            final PreparedBlock unchained = PreparedBlock.of(TestBlocks.block(1, new byte[32], List.of(write)));
            assertThatThrownBy(() -> ledger.commit(unchained)).isInstanceOf(BlockRejectedException.class)
                    .hasMessageContaining("unexpected Previous block hash");

            assertThat(ledger.height()).isEqualTo(1);
            assertThat(ledger.containsTxId("w")).isFalse();
            assertThat(get(ledger, "cc", "a")).isEqualTo(bytes("1"));
            final PreparedBlock prepared = PreparedBlock.of(good);
            assertThat(ledger.commit(prepared).code(0)).isEqualTo(VALID);
            // the same preparation again is now a block out of order
            assertThatThrownBy(() -> ledger.commit(prepared)).isInstanceOf(BlockRejectedException.class)
                    .hasMessage("block number should have been 2 but was 1");
            assertThat(get(ledger, "cc", "a")).isEqualTo(bytes("2"));
        }
    }

    @Test
    void aPreparationHoldsTheParseOfItsTransactions() {
        final Block block = endorserTxAndGarbage();

        final PreparedBlock prepared = PreparedBlock.of(block);

        assertThat(prepared.number()).isZero();
        assertThat(prepared.block()).isSameAs(block);
        assertThat(prepared.txIds()).containsExactly("t1", "");
        assertThat(prepared.transactions().get(1).parseFailure()).isEqualTo(TxValidationCode.INVALID_OTHER_REASON);
        assertThat(prepared.withMetadata(BlockMetadata.getDefaultInstance()).transactions())
                .isSameAs(prepared.transactions());
    }

    @Test
    void aParseMadeElsewhereIsTakenAsGivenWhenItHasOneEntryPerTransactionInBlockOrder() {
        final Block block = endorserTxAndGarbage();
        final HashCheckedBlock checked = HashCheckedBlock.of(block);
        final ParsedTransaction first = TransactionParser.parse(0, block.getData().getData(0));
        final ParsedTransaction second = TransactionParser.parse(1, block.getData().getData(1));

        final PreparedBlock prepared = PreparedBlock.of(checked, List.of(first, second));

        assertThat(prepared.block()).isSameAs(block);
        assertThat(prepared.transactions()).containsExactly(first, second)
                .isEqualTo(PreparedBlock.of(block).transactions());
        assertThat(prepared.txIds()).containsExactly("t1", "");
        assertThatThrownBy(() -> PreparedBlock.of(checked, List.of(first)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("block 0 has 2 transactions, 1 parsed transactions were given");
        assertThatThrownBy(() -> PreparedBlock.of(checked, List.of(second, first)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parsed transaction 0 of block 0 is that of index 1");
    }

    /** Block 0: an endorser transaction "t1" with an empty read-write set, then an entry that is not an envelope. */
    private static Block endorserTxAndGarbage() {
        final ByteString garbage = ByteString.copyFrom(new byte[]{0x0A, (byte) 0xFF});
        return TestBlocks.block(0, new byte[0], List.of(TestBlocks.endorserTx("t1",
                org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet.getDefaultInstance()), garbage));
    }
}
