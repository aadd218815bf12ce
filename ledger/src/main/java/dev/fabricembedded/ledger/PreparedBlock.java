package dev.fabricembedded.ledger;

import dev.fabricembedded.ledger.block.HashCheckedBlock;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * A block made ready for {@link ChannelLedger#commit(PreparedBlock)}: its data hash checked and every transaction
 * parsed down to its read-write sets, the part of a commit that depends neither on the ledger's state nor on the
 * final validation codes.
 *
 * <p>Why: a commit holds the ledger's exclusive lock and runs on the one committing thread, so everything it does is
 * serial; a committer that validates a block on worker threads can prepare it meanwhile (on a thread that would
 * otherwise wait for the workers) and leave the commit only the work that needs the committed state: duplicate
 * transaction ids, MVCC, the synced append and the state update. {@link ChannelLedger#commit(Block)} prepares the
 * block itself.
 *
 * <p>Independent of any ledger instance (the parse is the ledger's {@link TransactionParser}, a function of the
 * bytes). Immutable and safe to hand between threads. {@link #withMetadata} keeps the preparation for the same block
 * with other metadata, e.g. the validator's {@code TRANSACTIONS_FILTER}.
 */
public final class PreparedBlock {
    private final HashCheckedBlock block;
    private final List<ParsedTransaction> transactions;
    private final List<String> txIds;

    private PreparedBlock(final HashCheckedBlock block, final List<ParsedTransaction> transactions,
                          final List<String> txIds) {
        this.block = block;
        this.transactions = transactions;
        this.txIds = txIds;
    }

    /**
     * Checks the block's data hash and parses its transactions (unreadable ones get Fabric's codes, never an
     * exception).
     *
     * @throws BlockRejectedException {@code MALFORMED} without header or data, {@code WRONG_DATA_HASH} on a mismatch
     */
    public static PreparedBlock of(final Block block) {
        return of(HashCheckedBlock.of(block));
    }

    /**
     * Parses the transactions of a block whose data hash was already checked (e.g. by the committer, which hashes
     * each block once for the orderer-side checks and for this).
     */
    public static PreparedBlock of(final HashCheckedBlock checked) {
        final Block block = checked.block();
        final int count = block.getData().getDataCount();
        final List<ParsedTransaction> transactions = new ArrayList<>(count);
        final List<String> txIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final ParsedTransaction tx = TransactionParser.parse(i, block.getData().getData(i));
            transactions.add(tx);
            txIds.add(tx.txId());
        }
        return new PreparedBlock(checked, List.copyOf(transactions), List.copyOf(txIds));
    }

    /**
     * A block whose data hash was checked, with its transactions parsed elsewhere: a committer whose validators
     * already parsed every envelope hands their parse over instead of having it parsed again here. The caller
     * guarantees that each entry is what {@link TransactionParser#parse} returns for that envelope of the block (the
     * ledger stores and applies what it is given; {@code peer}'s committer tests check the equivalence for valid,
     * invalid and unreadable transactions).
     *
     * @param transactions one per transaction of the block, in block order
     * @throws IllegalArgumentException when there is not exactly one entry per transaction, in order
     */
    public static PreparedBlock of(final HashCheckedBlock checked, final List<ParsedTransaction> transactions) {
        final int count = checked.block().getData().getDataCount();
        if (transactions.size() != count) {
            throw new IllegalArgumentException("block " + checked.number() + " has " + count + " transactions, "
                    + transactions.size() + " parsed transactions were given");
        }
        final List<String> txIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            final ParsedTransaction tx = transactions.get(i);
            if (tx.index() != i) {
                throw new IllegalArgumentException("parsed transaction " + i + " of block " + checked.number()
                        + " is that of index " + tx.index());
            }
            txIds.add(tx.txId());
        }
        return new PreparedBlock(checked, List.copyOf(transactions), List.copyOf(txIds));
    }

    /** The same block (header and data, hence the same preparation) with {@code metadata}. */
    public PreparedBlock withMetadata(final BlockMetadata metadata) {
        return new PreparedBlock(block.withMetadata(metadata), transactions, txIds);
    }

    /** The block as prepared. */
    public Block block() {
        return block.block();
    }

    /** The block's number. */
    public long number() {
        return block.number();
    }

    HashCheckedBlock checked() {
        return block;
    }

    /** The parsed transactions, in block order. */
    List<ParsedTransaction> transactions() {
        return transactions;
    }

    /** The channel-header transaction id of every transaction ("" where unreadable), in block order. */
    List<String> txIds() {
        return txIds;
    }
}
