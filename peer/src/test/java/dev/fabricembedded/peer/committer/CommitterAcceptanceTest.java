package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterNetwork.AND_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static dev.fabricembedded.peer.committer.CommitterNetwork.ns;
import static dev.fabricembedded.peer.committer.CommitterNetwork.peer1;
import static dev.fabricembedded.peer.committer.CommitterNetwork.peer2;
import static dev.fabricembedded.peer.committer.CommitterNetwork.read;
import static dev.fabricembedded.peer.committer.CommitterNetwork.rwset;
import static dev.fabricembedded.peer.committer.CommitterNetwork.upgrade;
import static dev.fabricembedded.peer.committer.CommitterNetwork.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.TxValidationFlags;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.vscc.DefaultValidation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.QueryReads;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.RangeQueryInfo;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer cases of fabric-1.4-flow.md §9.6 (all but the crash, which the ledger's tests cover): each builds
 * real endorsed transactions, commits them in orderer-signed blocks and checks the final codes in the stored block.
 */
class CommitterAcceptanceTest {

    @TempDir
    Path dir;

    private CommitterNetwork net;

    @BeforeEach
    void open() {
        net = new CommitterNetwork(dir);
        assertCodes(net.commit(deploy("mycc", "1.0", AND_POLICY).build()), TxValidationCode.VALID);
    }

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void twoTransactionsReadingThenWritingOneKeyInABlockTheSecondIsAnMvccReadConflict() {
        CommittedBlock seeded = net.commit(invoke("mycc", "1.0").writes("mycc", "a", "100").build());
        assertCodes(seeded, TxValidationCode.VALID);
        long seededAt = seeded.number();

        KVRWSet readWriteA = KVRWSet.newBuilder().addReads(read("a", seededAt, 0))
                .addWrites(write("a", ByteString.copyFromUtf8("90"))).build();
        KVRWSet readWriteA2 = KVRWSet.newBuilder().addReads(read("a", seededAt, 0))
                .addWrites(write("a", ByteString.copyFromUtf8("80"))).build();
        CommittedBlock block = net.commit(
                invoke("mycc", "1.0").rwset(rwset(ns("mycc", readWriteA))).build(),
                invoke("mycc", "1.0").rwset(rwset(ns("mycc", readWriteA2))).build());

        assertCodes(block, TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(block.transactions().get(1).message()).contains("Reason code [MVCC_READ_CONFLICT]");
        assertThat(new String(net.state("mycc", "a"), StandardCharsets.UTF_8)).isEqualTo("90");
    }

    @Test
    void anInsertIntoAScannedRangeIsAPhantomRead() {
        CommittedBlock seeded = net.commit(invoke("mycc", "1.0").writes("mycc", "a", "1").build());
        RangeQueryInfo scan = RangeQueryInfo.newBuilder().setStartKey("a").setEndKey("c").setItrExhausted(true)
                .setRawReads(QueryReads.newBuilder().addKvReads(read("a", seeded.number(), 0))).build();
        KVRWSet scanner = KVRWSet.newBuilder().addRangeQueriesInfo(scan)
                .addWrites(write("count", ByteString.copyFromUtf8("1"))).build();

        CommittedBlock block = net.commit(
                invoke("mycc", "1.0").writes("mycc", "b", "2").build(),
                invoke("mycc", "1.0").rwset(rwset(ns("mycc", scanner))).build());

        assertCodes(block, TxValidationCode.VALID, TxValidationCode.PHANTOM_READ_CONFLICT);
        assertThat(net.state("mycc", "count")).isNull();
    }

    @Test
    void aTxIdSeenEarlierInTheBlockOrInTheLedgerIsADuplicate() {
        Envelope tx = invoke("mycc", "1.0").writes("mycc", "k", "v").build();

        CommittedBlock block = net.commit(tx, tx);
        assertCodes(block, TxValidationCode.VALID, TxValidationCode.DUPLICATE_TXID);
        assertThat(block.transactions().get(1).message()).startsWith("Duplicate txid");

        CommittedBlock replay = net.commit(tx);
        assertCodes(replay, TxValidationCode.DUPLICATE_TXID);
        assertThat(replay.transactions().get(0).message())
                .isEqualTo("Duplicate transaction found, " + replay.transactions().get(0).txId() + ", skipping");
    }

    @Test
    void anInvokeWithTheVersionBeforeAnUpgradeIsExpired() {
        assertCodes(net.commit(upgrade("mycc", "2.0", AND_POLICY).build()), TxValidationCode.VALID);

        CommittedBlock block = net.commit(invoke("mycc", "1.0").writes("mycc", "k", "old").build(),
                invoke("mycc", "2.0").writes("mycc", "k", "new").build());

        assertCodes(block, TxValidationCode.EXPIRED_CHAINCODE, TxValidationCode.VALID);
        assertThat(block.transactions().get(0).message())
                .isEqualTo("chaincode mycc:1.0/mychannel didn't match mycc:2.0/mychannel in lscc");
        assertThat(new String(net.state("mycc", "k"), StandardCharsets.UTF_8)).isEqualTo("new");
    }

    @Test
    void anInvokeInTheBlockOfAnUpgradeConflictsWithIt() {
        CommittedBlock block = net.commit(
                invoke("mycc", "1.0").writes("mycc", "before", "x").build(),
                upgrade("mycc", "2.0", AND_POLICY).build(),
                invoke("mycc", "1.0").writes("mycc", "after", "y").build());

        assertCodes(block, TxValidationCode.CHAINCODE_VERSION_CONFLICT, TxValidationCode.VALID,
                TxValidationCode.CHAINCODE_VERSION_CONFLICT);
        assertThat(net.state("mycc", "before")).isNull();
        assertThat(net.state("mycc", "after")).isNull();
        assertThat(definition("mycc").version()).isEqualTo("2.0");
    }

    @Test
    void ofTwoUpgradesOfOneChaincodeInABlockOnlyTheLastStaysValid() {
        CommittedBlock block = net.commit(upgrade("mycc", "2.0", AND_POLICY).build(),
                upgrade("mycc", "3.0", AND_POLICY).build());

        assertCodes(block, TxValidationCode.CHAINCODE_VERSION_CONFLICT, TxValidationCode.VALID);
        assertThat(definition("mycc").version()).isEqualTo("3.0");
    }

    @Test
    void anApplicationChaincodeWritingLsccOrANonInvokableSystemChaincodeIsAnIllegalWriteSet() {
        KVRWSet forged = KVRWSet.newBuilder().addWrites(write("mycc",
                CommitterNetwork.definition("mycc", "9.0", OR_POLICY, "vscc"))).build();
        KVRWSet own = KVRWSet.newBuilder().addWrites(write("k", ByteString.copyFromUtf8("v"))).build();

        CommittedBlock block = net.commit(
                invoke("mycc", "1.0").rwset(rwset(ns("lscc", forged), ns("mycc", own))).build(),
                invoke("mycc", "1.0").rwset(rwset(ns("cscc", own), ns("mycc", own))).build(),
                invoke("mycc", "1.0").rwset(rwset(ns("mycc", own), ns("mycc", own))).build(),
                invoke("escc", "1.4.12").endorsers(peer1()).writes("escc", "k", "v").build());

        assertCodes(block, TxValidationCode.ILLEGAL_WRITESET, TxValidationCode.ILLEGAL_WRITESET,
                TxValidationCode.ILLEGAL_WRITESET, TxValidationCode.ILLEGAL_WRITESET);
        assertThat(block.transactions()).extracting(CommittedTransaction::message).containsExactly(
                "chaincode mycc attempted to write to the namespace of LSCC",
                "chaincode mycc attempted to write to the namespace of a system chaincode that cannot be invoked",
                "duplicate namespace 'mycc' in txRWSet",
                "committing an invocation of cc escc is illegal");
        assertThat(definition("mycc").version()).isEqualTo("1.0");
    }

    @Test
    void forgedLsccWriteSetsFailTheEndorsementPolicy() {
        ByteString otherName = CommitterNetwork.definition("othercc", "1.0", OR_POLICY, "vscc");
        ByteString newcc = CommitterNetwork.definition("newcc", "1.0", OR_POLICY, "vscc");
        KVRWSet wrongKey = KVRWSet.newBuilder().addWrites(write("other", newcc)).build();
        KVRWSet nameMismatch = KVRWSet.newBuilder().addWrites(write("newcc", otherName)).build();
        KVRWSet honest = KVRWSet.newBuilder().addWrites(write("newcc", newcc)).build();
        KVRWSet extra = KVRWSet.newBuilder().addWrites(write("k", ByteString.copyFromUtf8("v"))).build();

        CommittedBlock block = net.commit(
                deploy("newcc", "1.0", OR_POLICY).rwset(rwset(ns("lscc", wrongKey))).build(),
                deploy("newcc", "1.0", OR_POLICY).rwset(rwset(ns("lscc", honest), ns("othercc", extra))).build(),
                deploy("newcc", "1.0", OR_POLICY).rwset(rwset(ns("lscc", nameMismatch))).build(),
                deploy("mycc", "1.0", AND_POLICY).build());

        assertCodes(block, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(block.transactions()).extracting(CommittedTransaction::message).containsExactly(
                "expected key newcc, found other",
                "LSCC invocation is attempting to write to namespace othercc",
                "expected cc name newcc, found othercc",
                "Chaincode mycc is already instantiated");
        assertThat(net.state("lscc", "newcc")).isNull();
        assertThat(net.state("lscc", "other")).isNull();
        assertThat(net.state("othercc", "k")).isNull();
    }

    @Test
    void oneIdentityEndorsingTwiceOrOneEndorsementDoesNotSatisfyAnAndPolicy() {
        CommittedBlock block = net.commit(
                invoke("mycc", "1.0").endorsers(peer1(), peer1()).writes("mycc", "k", "dup").build(),
                invoke("mycc", "1.0").endorsers(peer1()).writes("mycc", "k", "one").build(),
                invoke("mycc", "1.0").writes("mycc", "k", "both").build());

        assertCodes(block, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                TxValidationCode.VALID);
        assertThat(block.transactions().get(0).message()).isEqualTo(DefaultValidation.DUPLICATED_IDENTITY_ERROR);
        assertThat(block.transactions().get(1).message())
                .startsWith("VSCC error: endorsement policy failure, err: ");
        assertThat(new String(net.state("mycc", "k"), StandardCharsets.UTF_8)).isEqualTo("both");
    }

    @Test
    void eachBlockIsValidatedAgainstThePolicyOfTheCommittedDefinitionWhenUpgradesChangeItBackAndForth() {
        // the channel view keeps compiled policies by their bytes: every change of policy must still take effect
        assertCodes(net.commit(invoke("mycc", "1.0").endorsers(peer1()).writes("mycc", "k", "1").build()),
                TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertCodes(net.commit(upgrade("mycc", "2.0", OR_POLICY).build()), TxValidationCode.VALID);
        assertCodes(net.commit(invoke("mycc", "2.0").endorsers(peer1()).writes("mycc", "k", "2").build(),
                invoke("mycc", "2.0").endorsers(peer2()).writes("mycc", "k", "3").build()),
                TxValidationCode.VALID, TxValidationCode.VALID);
        assertCodes(net.commit(upgrade("mycc", "3.0", AND_POLICY).build()), TxValidationCode.VALID);
        CommittedBlock strict = net.commit(invoke("mycc", "3.0").endorsers(peer2()).writes("mycc", "k", "4").build(),
                invoke("mycc", "3.0").writes("mycc", "k", "5").build());

        assertCodes(strict, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.VALID);
        assertThat(new String(net.state("mycc", "k"), StandardCharsets.UTF_8)).isEqualTo("5");
    }

    @Test
    void chaincodeToChaincodeWritesAreValidatedAgainstEachWrittenNamespacesPolicy() {
        assertCodes(net.commit(deploy("orcc", "1.0", OR_POLICY).build()), TxValidationCode.VALID);
        KVRWSet own = KVRWSet.newBuilder().addWrites(write("k", ByteString.copyFromUtf8("v"))).build();

        // orcc (OR) calling mycc (AND) that writes: one endorsement satisfies orcc's policy but not mycc's
        CommittedBlock block = net.commit(
                invoke("orcc", "1.0").endorsers(peer1()).rwset(rwset(ns("mycc", own), ns("orcc", own))).build(),
                invoke("orcc", "1.0").rwset(rwset(ns("mycc", own), ns("orcc", own))).build(),
                invoke("orcc", "1.0").rwset(rwset(ns("nocc", own), ns("orcc", own))).build());

        assertCodes(block, TxValidationCode.ENDORSEMENT_POLICY_FAILURE, TxValidationCode.VALID,
                TxValidationCode.INVALID_OTHER_REASON);
        assertThat(block.transactions().get(2).message()).isEqualTo("lscc's state for [nocc] not found.");
    }

    private ChaincodeData definition(String name) {
        try {
            return ChaincodeData.parse(ByteString.copyFrom(net.state("lscc", name)));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static void assertCodes(CommittedBlock block, TxValidationCode... expected) {
        assertThat(block.transactions()).extracting(CommittedTransaction::code)
                .as("codes of block %d: %s", block.number(), block.transactions())
                .containsExactly(expected);
        TxValidationFlags stored = TxValidationFlags.fromBlock(block.block());
        for (int i = 0; i < expected.length; i++) {
            assertThat(stored.code(i)).isEqualTo(expected[i]);
        }
        assertThat(block.transactions()).allSatisfy(tx ->
                assertThat(tx.message().isEmpty()).isEqualTo(tx.isValid()));
        assertThat(block.transactions().stream().filter(tx -> !tx.isValid()).toList())
                .allSatisfy(tx -> assertThat(tx.chaincodeEvent()).isEmpty());
        assertThat(List.of(expected)).hasSize(block.block().getData().getDataCount());
    }
}
