package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterAcceptanceTest.assertCodes;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static dev.fabricembedded.peer.committer.CommitterNetwork.ns;
import static dev.fabricembedded.peer.committer.CommitterNetwork.readAbsent;
import static dev.fabricembedded.peer.committer.CommitterNetwork.rwset;
import static dev.fabricembedded.peer.committer.CommitterNetwork.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.validation.NamespaceRwSet;
import dev.fabricembedded.ledger.validation.ParsedTransaction;
import dev.fabricembedded.ledger.validation.TransactionParser;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's preparation of a block is built from the validator workers' parse of its envelopes (one parse per
 * envelope on the commit path): that parse is exactly the ledger's own ({@link TransactionParser}) for valid, invalid
 * and unreadable transactions, and a block committed through it is stored and applied exactly as a block the ledger
 * prepares itself.
 */
class ValidatorParseTest {

    @TempDir
    Path dir;

    @TempDir
    Path otherDir;

    @Test
    void theWorkersParseOfEveryTransactionIsTheLedgersOwnParse() {
        try (CommitterNetwork net = new CommitterNetwork(dir)) {
            net.commit(deploy("mycc", "1.0", OR_POLICY).build());
            Block block = net.nextBlockOf(mixedTransactions());
            TxValidator validator = net.committer.validator();

            TxValidator.Pending pending = validator.start(block);
            ValidatedBlock validated = validator.finish(pending);
            List<ParsedTransaction> parsed = validator.parsedTransactions(pending);

            assertThat(validated.transactions()).extracting(ValidatedTransaction::code).containsExactly(
                    TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID,
                    TxValidationCode.BAD_CREATOR_SIGNATURE, TxValidationCode.BAD_RWSET,
                    TxValidationCode.INVALID_OTHER_REASON, TxValidationCode.NIL_ENVELOPE,
                    TxValidationCode.INVALID_OTHER_REASON, TxValidationCode.BAD_PAYLOAD);
            List<ParsedTransaction> ledgersOwn = IntStream.range(0, block.getData().getDataCount())
                    .mapToObj(i -> TransactionParser.parse(i, block.getData().getData(i))).toList();
            assertThat(parsed).isEqualTo(ledgersOwn);
            // what the comparison covers: read-write sets of valid transactions (one of them lscc's deploy, two
            // namespaces), the ledger's codes for what it cannot read
            assertThat(parsed.get(1).rwsets()).singleElement().satisfies(ns -> {
                assertThat(ns.rwset().getReadsCount()).isEqualTo(2);
                assertThat(ns.rwset().getWritesList()).extracting(KVWrite::getIsDelete).containsExactly(false, true);
            });
            assertThat(parsed.get(2).rwsets()).extracting(NamespaceRwSet::namespace).contains("lscc");
            assertThat(parsed.get(4).parseFailure()).isEqualTo(TxValidationCode.INVALID_OTHER_REASON);
            assertThat(parsed.get(7).parseFailure()).isEqualTo(TxValidationCode.INVALID_OTHER_REASON);
            assertThat(parsed.get(8).parseFailure()).isEqualTo(TxValidationCode.BAD_PAYLOAD);
            assertThat(parsed).extracting(ParsedTransaction::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        }
    }

    @Test
    void aBlockCommittedThroughTheWorkersParseIsStoredAndAppliedAsTheLedgerPreparesIt() {
        Envelope deploy = deploy("mycc", "1.0", OR_POLICY).build();
        List<ByteString> data = mixedTransactions();
        try (CommitterNetwork committer = new CommitterNetwork(dir);
             CommitterNetwork ledgerOnly = new CommitterNetwork(otherDir)) {
            committer.commit(deploy);
            ledgerOnly.commit(deploy);
            Block block = committer.nextBlockOf(data);

            CommittedBlock committed = committer.committer.commit(block);
            // the same validation, then the ledger's own preparation (ChannelLedger.commit(Block) parses the block)
            ValidatedBlock validated = ledgerOnly.committer.validator().validate(block);
            ledgerOnly.ledger.commit(validated.block());

            assertCodes(committed, TxValidationCode.VALID, TxValidationCode.VALID, TxValidationCode.VALID,
                    TxValidationCode.BAD_CREATOR_SIGNATURE, TxValidationCode.BAD_RWSET,
                    TxValidationCode.INVALID_OTHER_REASON, TxValidationCode.NIL_ENVELOPE,
                    TxValidationCode.INVALID_OTHER_REASON, TxValidationCode.BAD_PAYLOAD);
            long number = committed.number();
            assertThat(committer.ledger.blockStore().blockByNumber(number).orElseThrow().toByteString())
                    .isEqualTo(ledgerOnly.ledger.blockStore().blockByNumber(number).orElseThrow().toByteString());
            for (String key : List.of("k", "a", "c", "d", "e")) {
                assertThat(committer.state("mycc", key)).as(key).isEqualTo(ledgerOnly.state("mycc", key));
            }
            assertThat(committer.state("mycc", "c")).isEqualTo("3".getBytes());
            assertThat(committer.state("lscc", "other")).isNotNull()
                    .isEqualTo(ledgerOnly.state("lscc", "other"));
            for (CommittedTransaction tx : committed.transactions()) {
                if (!tx.txId().isEmpty()) {
                    assertThat(committer.ledger.transactionById(tx.txId()).orElseThrow().validationCode())
                            .isEqualTo(ledgerOnly.ledger.transactionById(tx.txId()).orElseThrow()
                                    .validationCode());
                }
            }
        }
    }

    /**
     * After {@code mycc} is deployed: a plain write, reads with a delete, lscc's deploy of another chaincode, a
     * forged signature, an unreadable read-write set, an unknown chaincode, an empty entry, garbage bytes and an
     * envelope whose payload does not parse.
     */
    private static List<ByteString> mixedTransactions() {
        Envelope valid = invoke("mycc", "1.0").writes("mycc", "k", "v").build();
        Envelope readsAndDelete = invoke("mycc", "1.0").rwset(rwset(ns("mycc", KVRWSet.newBuilder()
                .addReads(readAbsent("a")).addReads(readAbsent("b"))
                .addWrites(write("c", ByteString.copyFromUtf8("3")))
                .addWrites(KVWrite.newBuilder().setKey("d").setIsDelete(true)).build()))).build();
        Envelope deployOther = deploy("other", "1.0", OR_POLICY).build();
        Envelope badSignature = invoke("mycc", "1.0").writes("mycc", "e", "1").build();
        badSignature = badSignature.toBuilder().setSignature(ByteString.copyFromUtf8("forged")).build();
        Envelope badRwset = invoke("mycc", "1.0").rawResults(ByteString.copyFrom(new byte[] {10, 5, 1})).build();
        Envelope unknownChaincode = invoke("nocc", "1.0").writes("nocc", "k", "u").build();
        Envelope garbagePayload = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff}))
                .setSignature(ByteString.copyFromUtf8("sig")).build();
        return List.of(valid.toByteString(), readsAndDelete.toByteString(), deployOther.toByteString(),
                badSignature.toByteString(), badRwset.toByteString(), unknownChaincode.toByteString(),
                ByteString.EMPTY, ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}),
                garbagePayload.toByteString());
    }
}
