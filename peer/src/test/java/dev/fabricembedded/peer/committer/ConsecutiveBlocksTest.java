package dev.fabricembedded.peer.committer;

import static dev.fabricembedded.peer.committer.CommitterAcceptanceTest.assertCodes;
import static dev.fabricembedded.peer.committer.CommitterNetwork.AND_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.OR_POLICY;
import static dev.fabricembedded.peer.committer.CommitterNetwork.deploy;
import static dev.fabricembedded.peer.committer.CommitterNetwork.invoke;
import static dev.fabricembedded.peer.committer.CommitterNetwork.ns;
import static dev.fabricembedded.peer.committer.CommitterNetwork.read;
import static dev.fabricembedded.peer.committer.CommitterNetwork.rwset;
import static dev.fabricembedded.peer.committer.CommitterNetwork.write;
import static dev.fabricembedded.peer.committer.CommitterNetwork.peer1;
import static dev.fabricembedded.peer.committer.CommitterNetwork.upgrade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.BlockRejectedException;
import dev.fabricembedded.orderer.block.BlockSigner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BlockCommitter#commit(List)}: block {@code k + 1} is validated while block {@code k} is committed, and the
 * outcome is the one of committing them one by one, also when block {@code k} changes what block {@code k + 1}'s
 * validation reads.
 */
class ConsecutiveBlocksTest {

    @TempDir
    Path dir;

    private CommitterNetwork net;

    @BeforeEach
    void open() {
        net = new CommitterNetwork(dir);
    }

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    void aBlockDependingOnTheDeployOrUpgradeInThePreviousBlockIsValidatedAgainstTheCommittedDefinition() {
        List<CommittedBlock> committed = net.committer.commit(chain(
                List.of(deploy("mycc", "1.0", AND_POLICY).build()),
                List.of(invoke("mycc", "1.0").writes("mycc", "a", "1").build()),
                List.of(upgrade("mycc", "2.0", OR_POLICY).build()),
                List.of(invoke("mycc", "1.0").writes("mycc", "a", "stale").build(),
                        invoke("mycc", "2.0").endorsers(peer1()).writes("mycc", "b", "2").build())));

        assertThat(committed).extracting(CommittedBlock::number).containsExactly(1L, 2L, 3L, 4L);
        assertCodes(committed.get(0), TxValidationCode.VALID);
        assertCodes(committed.get(1), TxValidationCode.VALID);
        assertCodes(committed.get(2), TxValidationCode.VALID);
        // validated early against version 1.0 and the AND policy, both changed by block 3: validated again
        assertCodes(committed.get(3), TxValidationCode.EXPIRED_CHAINCODE, TxValidationCode.VALID);
        assertThat(net.state("mycc", "a")).isEqualTo("1".getBytes());
        assertThat(net.state("mycc", "b")).isEqualTo("2".getBytes());
        assertThat(committed).allSatisfy(block -> assertThat(block.block())
                .isEqualTo(net.ledger.blockStore().blockByNumber(block.number()).orElseThrow()));
    }

    @Test
    void aTransactionRepeatedInTheNextBlockIsADuplicate() {
        net.commit(deploy("mycc", "1.0", OR_POLICY).build());
        Envelope tx = invoke("mycc", "1.0").writes("mycc", "k", "v").build();

        List<CommittedBlock> committed = net.committer.commit(chain(List.of(tx), List.of(tx)));

        assertCodes(committed.get(0), TxValidationCode.VALID);
        assertCodes(committed.get(1), TxValidationCode.DUPLICATE_TXID);
    }

    @Test
    void readsOfKeysTheBlockBeforeOrAnEarlierTransactionWroteAreMvccConflictsInTheStoredFilter() {
        net.commit(deploy("mycc", "1.0", OR_POLICY).build());
        long seededAt = net.commit(invoke("mycc", "1.0").writes("mycc", "a", "1", "b", "1").build()).number();
        // block k rewrites a; block k+1 (validated while k is committed, prepared before it) reads a and b at the
        // seeded version: a is stale, b is read then written by the first transaction, so the second conflicts
        Envelope rewriteA = invoke("mycc", "1.0").writes("mycc", "a", "2").build();
        Envelope readsA = invoke("mycc", "1.0").rwset(rwset(ns("mycc", KVRWSet.newBuilder()
                .addReads(read("a", seededAt, 0)).addWrites(write("c", ByteString.copyFromUtf8("x"))).build())))
                .build();
        Envelope readsWritesB = invoke("mycc", "1.0").rwset(rwset(ns("mycc", KVRWSet.newBuilder()
                .addReads(read("b", seededAt, 0)).addWrites(write("b", ByteString.copyFromUtf8("2"))).build())))
                .build();
        Envelope readsB = invoke("mycc", "1.0").rwset(rwset(ns("mycc", KVRWSet.newBuilder()
                .addReads(read("b", seededAt, 0)).addWrites(write("d", ByteString.copyFromUtf8("y"))).build())))
                .build();

        List<CommittedBlock> committed = net.committer.commit(chain(List.of(rewriteA),
                List.of(readsA, readsWritesB, readsB)));

        assertCodes(committed.get(0), TxValidationCode.VALID);
        assertCodes(committed.get(1), TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.VALID,
                TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(committed.get(1).transactions().get(0).message()).contains("Reason code [MVCC_READ_CONFLICT]");
        Block stored = net.ledger.blockStore().blockByNumber(committed.get(1).number()).orElseThrow();
        assertThat(stored).isEqualTo(committed.get(1).block());
        assertThat(stored.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE).toByteArray())
                .containsExactly(TxValidationCode.MVCC_READ_CONFLICT_VALUE, TxValidationCode.VALID_VALUE,
                        TxValidationCode.MVCC_READ_CONFLICT_VALUE);
        assertThat(net.state("mycc", "a")).isEqualTo("2".getBytes());
        assertThat(net.state("mycc", "b")).isEqualTo("2".getBytes());
        assertThat(net.state("mycc", "c")).isNull();
        assertThat(net.state("mycc", "d")).isNull();
    }

    @Test
    void theBlocksBeforeARefusedOneAreCommittedAndTheRestAreNot() {
        List<Block> blocks = threeWritesWithAPeerSignedBlock(1);
        long first = blocks.get(0).getHeader().getNumber();

        BlockRejectedException refused = catchThrowableOfType(() -> net.committer.commit(blocks),
                BlockRejectedException.class);

        assertThat(refused.blockNumber()).isEqualTo(first + 1);
        assertThat(net.ledger.height()).isEqualTo(first + 1);
        assertThat(net.state("mycc", "a")).isEqualTo("1".getBytes());
        assertThat(net.state("mycc", "b")).isNull();
        assertThat(net.state("mycc", "c")).isNull();
    }

    @Test
    void eachBlockIsHandedOverOnceCommittedAndARefusedBlockStopsTheHandOverBeforeIt() {
        List<Block> blocks = threeWritesWithAPeerSignedBlock(2);
        long first = blocks.get(0).getHeader().getNumber();
        List<Long> heightsSeen = new ArrayList<>();
        List<CommittedBlock> handedOver = new ArrayList<>();

        BlockRejectedException refused = catchThrowableOfType(() -> net.committer.commit(blocks, block -> {
            heightsSeen.add(net.ledger.height());
            handedOver.add(block);
        }), BlockRejectedException.class);

        assertThat(refused.blockNumber()).isEqualTo(first + 2);
        assertThat(handedOver).extracting(CommittedBlock::number).containsExactly(first, first + 1);
        // each block is handed over once it is in the ledger, before the next one is committed
        assertThat(heightsSeen).containsExactly(first + 1, first + 2);
        assertThat(handedOver).allSatisfy(block -> assertCodes(block, TxValidationCode.VALID));
        assertThat(net.ledger.height()).isEqualTo(first + 2);
        assertThat(net.state("mycc", "c")).isNull();
    }

    /**
     * After deploying {@code mycc}: three blocks writing {@code a}, {@code b}, {@code c}, the one at {@code refused}
     * signed by a peer instead of the orderer (the §5.5 checks refuse it).
     */
    private List<Block> threeWritesWithAPeerSignedBlock(int refused) {
        net.commit(deploy("mycc", "1.0", OR_POLICY).build());
        List<Block> blocks = new ArrayList<>(chain(List.of(invoke("mycc", "1.0").writes("mycc", "a", "1").build()),
                List.of(invoke("mycc", "1.0").writes("mycc", "b", "2").build()),
                List.of(invoke("mycc", "1.0").writes("mycc", "c", "3").build())));
        blocks.set(refused, new BlockSigner(peer1()).sign(blocks.get(refused), 0));
        return blocks;
    }

    /** Orderer-signed blocks continuing the ledger's chain, one per list of envelopes. */
    @SafeVarargs
    private List<Block> chain(List<Envelope>... contents) {
        return net.chain(List.of(contents));
    }
}
