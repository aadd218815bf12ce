package dev.fabricembedded.scc.qscc;

import static dev.fabricembedded.scc.fixtures.TestNetwork.CHANNEL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.block.BlockHashes;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.fixtures.TestNetwork;
import dev.fabricembedded.scc.fixtures.TestNetwork.Invocation;
import dev.fabricembedded.scc.fixtures.TestNetwork.Orgs;
import dev.fabricembedded.scc.fixtures.TestPackages;
import dev.fabricembedded.scc.lscc.Lscc;
import dev.fabricembedded.shim.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QsccTest {

    @TempDir
    Path dir;

    private TestNetwork net;
    private Qscc qscc;
    private final List<Envelope> committed = new ArrayList<>();
    private final List<String> txIds = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        net = new TestNetwork(dir, ChannelCapabilities.v1_3());
        qscc = new Qscc(id -> CHANNEL.equals(id) ? Optional.of(net.ledger().blockStore()) : Optional.empty(),
                net.channels());
        Lscc lscc = Lscc.builder().packageStore(net.packages()).channels(net.channels())
                .localMsp(Orgs.org1().msp()).build();
        for (String name : List.of("alpha", "beta")) {
            net.packages().install(TestPackages.cds(name, "1.0").toByteString());
            Invocation inv = net.invoke(lscc, "lscc", TestNetwork.admin1(), CHANNEL, List.of(b("deploy"), b(CHANNEL),
                    TestPackages.cds(name, "1.0").toBuilder().clearCodePackage().build().toByteArray()));
            Envelope env = net.transaction(inv, "lscc", TestNetwork.admin1(), TestNetwork.peer1());
            assertThat(net.commit(List.of(env)).code(0)).isEqualTo(TxValidationCode.VALID);
            committed.add(env);
            txIds.add(inv.proposal().txId());
        }
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private Response query(SigningIdentity creator, byte[]... args) {
        return net.invoke(qscc, "qscc", creator, "", Arrays.asList(args)).response();
    }

    private Response query(byte[]... args) {
        return query(TestNetwork.client1(), args);
    }

    private static void assertError(Response response, String message) {
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.message()).isEqualTo(message);
    }

    @Test
    void chainInfoAndBlocksByNumberHashAndTxId() throws Exception {
        BlockchainInfo info = BlockchainInfo.parseFrom(query(b("GetChainInfo"), b(CHANNEL)).payload());
        assertThat(info.getHeight()).isEqualTo(2);
        assertThat(info).isEqualTo(net.ledger().chainInfo());

        Block first = Block.parseFrom(query(b("GetBlockByNumber"), b(CHANNEL), b("0")).payload());
        assertThat(first.getHeader().getNumber()).isZero();
        assertThat(first.getData().getData(0)).isEqualTo(committed.get(0).toByteString());
        Block last = Block.parseFrom(query(b("GetBlockByNumber"), b(CHANNEL), b("18446744073709551615")).payload());
        assertThat(last.getHeader().getNumber()).as("MaxUint64 means the last block").isEqualTo(1);

        byte[] hash = BlockHashes.headerHash(last.getHeader());
        assertThat(ByteString.copyFrom(hash)).isEqualTo(info.getCurrentBlockHash());
        Block byHash = Block.parseFrom(query(b("GetBlockByHash"), b(CHANNEL), hash).payload());
        assertThat(byHash).isEqualTo(last);

        Block byTx = Block.parseFrom(query(b("GetBlockByTxID"), b(CHANNEL), b(txIds.get(0))).payload());
        assertThat(byTx).isEqualTo(first);

        ProcessedTransaction tx = ProcessedTransaction.parseFrom(
                query(b("GetTransactionByID"), b(CHANNEL), b(txIds.get(1))).payload());
        assertThat(tx.getTransactionEnvelope()).isEqualTo(committed.get(1));
        assertThat(tx.getValidationCode()).isEqualTo(TxValidationCode.VALID_VALUE);
    }

    @Test
    void fabricsErrorsForUnknownEntriesBadArgumentsAndChannels() {
        assertError(query(b("GetBlockByNumber"), b(CHANNEL), b("7")), "Failed to get block number 7, error Entry not "
                + "found in index");
        assertError(query(b("GetBlockByNumber"), b(CHANNEL), b("x1")),
                "Failed to parse block number with error strconv.ParseUint: parsing \"x1\": invalid syntax");
        assertError(query(b("GetBlockByNumber"), b(CHANNEL), b("99999999999999999999")),
                "Failed to parse block number with error strconv.ParseUint: parsing \"99999999999999999999\": value "
                        + "out of range");
        assertError(query(b("GetTransactionByID"), b(CHANNEL), b("nope")),
                "Failed to get transaction with id nope, error Entry not found in index");
        assertError(query(b("GetBlockByTxID"), b(CHANNEL), b("nope")),
                "Failed to get block for txID nope, error Entry not found in index");
        assertError(query(b("GetBlockByHash"), b(CHANNEL), b("nohash")),
                "Failed to get block hash nohash, error Entry not found in index");
        assertError(query(b("GetChainInfo")), "Incorrect number of arguments, 1");
        assertError(query(b("GetBlockByNumber"), b(CHANNEL)), "missing 3rd argument for GetBlockByNumber");
        assertError(query(b("GetChainInfo"), b("otherchannel")), "Invalid chain ID, otherchannel");
    }

    @Test
    void readersOnlyByDefault() {
        assertThat(query(Orgs.org2().signer(NodeRole.PEER), b("GetChainInfo"), b(CHANNEL)).status()).isEqualTo(200);
        Response denied = query(Orgs.org3().signer(NodeRole.CLIENT), b("GetChainInfo"), b(CHANNEL));
        assertError(denied, "access denied for [GetChainInfo][mychannel]: [Failed evaluating policy on signed data "
                + "during check policy on channel [mychannel] with policy [/Channel/Application/Readers]: [implicit "
                + "policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the "
                + "'Readers' sub-policies to be satisfied]]");
        assertError(query(b("Frobnicate"), b(CHANNEL), b("x")),
                "access denied for [Frobnicate][mychannel]: [Unmapped policy for qscc/Frobnicate]");
        Qscc noViews = new Qscc(id -> Optional.of(net.ledger().blockStore()), id -> Optional.empty());
        assertError(net.invoke(noViews, "qscc", TestNetwork.client1(), "", List.of(b("GetChainInfo"), b(CHANNEL)))
                .response(), "access denied for [GetChainInfo][mychannel]: [Failed to get policy manager for channel "
                + "[mychannel]]");
    }
}
