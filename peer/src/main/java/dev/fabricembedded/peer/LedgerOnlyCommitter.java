package dev.fabricembedded.peer;

import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.peer.committer.CommittedBlock;
import dev.fabricembedded.peer.committer.CommittedTransaction;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Interim committer until the committer package's {@code BlockCommitter} is merged: the ledger's commit only (MVCC,
 * duplicate ids), no signature or endorsement policy validation.
 */
final class LedgerOnlyCommitter implements ChannelCommitter {

    private final ChannelLedger ledger;

    LedgerOnlyCommitter(final ChannelLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public CommittedBlock commit(final Block block) {
        final CommitResult result = ledger.commit(block);
        final List<CommittedTransaction> transactions = new ArrayList<>();
        for (int i = 0; i < result.block().getData().getDataCount(); i++) {
            Envelope envelope;
            try {
                envelope = Envelope.parseFrom(result.block().getData().getData(i));
            } catch (InvalidProtocolBufferException e) {
                envelope = Envelope.getDefaultInstance();
            }
            final TxValidationCode code = result.code(i);
            final boolean valid = code == TxValidationCode.VALID;
            transactions.add(new CommittedTransaction(i, LedgerTransactions.txId(envelope), code,
                    valid ? "" : code.name(), valid ? LedgerTransactions.chaincodeEvent(envelope) : Optional.empty()));
        }
        return new CommittedBlock(result.block(), transactions);
    }

    @Override
    public void close() {
        // no threads
    }
}
