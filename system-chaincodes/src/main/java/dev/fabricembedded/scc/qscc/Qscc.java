package dev.fabricembedded.scc.qscc;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import dev.fabricembedded.ledger.block.BlockReader;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.scc.channel.ChannelView;
import dev.fabricembedded.scc.channel.ChannelViews;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * The ledger query system chaincode of Fabric 1.4 ({@code core/scc/qscc}): {@code GetChainInfo},
 * {@code GetBlockByNumber}, {@code GetBlockByHash}, {@code GetTransactionByID} and {@code GetBlockByTxID}, with
 * Fabric's argument layout ({@code args[1]} is the channel, {@code args[2]} the number, hash or transaction id), its
 * ACL check ({@code qscc/<function>}, by default the channel's {@code Readers}) and its error texts. Payloads are the
 * marshaled {@code BlockchainInfo}, {@code Block} or {@code ProcessedTransaction}.
 *
 * <p>QSCC reads blocks, not state, so it needs no simulator: the endorser runs it without one (Fabric does the same).
 * Thread-safe and stateless.
 */
public final class Qscc implements Chaincode {

    /** The system chaincode name. */
    public static final String NAME = "qscc";

    public static final String GET_CHAIN_INFO = "GetChainInfo";
    public static final String GET_BLOCK_BY_NUMBER = "GetBlockByNumber";
    public static final String GET_BLOCK_BY_HASH = "GetBlockByHash";
    public static final String GET_TRANSACTION_BY_ID = "GetTransactionByID";
    public static final String GET_BLOCK_BY_TX_ID = "GetBlockByTxID";

    /** Fabric's block store error for a number, hash or transaction id it does not know. */
    static final String NOT_FOUND = "Entry not found in index";

    private final BlockReaders ledgers;
    private final ChannelViews channels;

    /**
     * A QSCC over the peer's ledgers and channel configurations.
     *
     * @param ledgers  the joined channels' block stores
     * @param channels the joined channels' views, for the ACL check
     */
    public Qscc(BlockReaders ledgers, ChannelViews channels) {
        this.ledgers = Objects.requireNonNull(ledgers, "ledgers");
        this.channels = Objects.requireNonNull(channels, "channels");
    }

    /** QSCC has nothing to initialise. */
    @Override
    public Response init(ChaincodeStub stub) {
        return Response.success();
    }

    @Override
    public Response invoke(ChaincodeStub stub) {
        List<byte[]> args = stub.getArgs();
        if (args.size() < 2) {
            return Response.error("Incorrect number of arguments, " + args.size());
        }
        String function = new String(args.get(0), UTF_8);
        String channelId = new String(args.get(1), UTF_8);
        if (!GET_CHAIN_INFO.equals(function) && args.size() < 3) {
            return Response.error("missing 3rd argument for " + function);
        }
        Optional<BlockReader> ledger = ledgers.blocks(channelId);
        if (ledger.isEmpty()) {
            return Response.error("Invalid chain ID, " + channelId);
        }
        SignedProposal signedProposal = stub.getSignedProposal();
        if (signedProposal == null) {
            return Response.error("Failed getting signed proposal from stub, " + channelId
                    + ": no signed proposal in the transaction context");
        }
        Optional<String> denied = checkAcl("qscc/" + function, channelId, signedProposal);
        if (denied.isPresent()) {
            return Response.error("access denied for [" + function + "][" + channelId + "]: [" + denied.get() + "]");
        }
        BlockReader blocks = ledger.get();
        return switch (function) {
            case GET_CHAIN_INFO -> success(blocks.chainInfo());
            case GET_BLOCK_BY_NUMBER -> blockByNumber(blocks, new String(args.get(2), UTF_8));
            case GET_BLOCK_BY_HASH -> blocks.blockByHash(args.get(2)).map(Qscc::success).orElseGet(() ->
                    Response.error("Failed to get block hash " + new String(args.get(2), UTF_8) + ", error "
                            + NOT_FOUND));
            case GET_TRANSACTION_BY_ID -> {
                String txId = new String(args.get(2), UTF_8);
                yield blocks.transactionById(txId).map(tx -> success(tx.toProcessedTransaction())).orElseGet(() ->
                        Response.error("Failed to get transaction with id " + txId + ", error " + NOT_FOUND));
            }
            case GET_BLOCK_BY_TX_ID -> {
                String txId = new String(args.get(2), UTF_8);
                yield blocks.blockByTxId(txId).map(Qscc::success).orElseGet(() ->
                        Response.error("Failed to get block for txID " + txId + ", error " + NOT_FOUND));
            }
            default -> Response.error("Requested function " + function + " not found.");
        };
    }

    /** {@code GetBlockByNumber}: a decimal uint64; {@code 2^64-1} means the last block, as in Fabric's block store. */
    private static Response blockByNumber(BlockReader blocks, String text) {
        long number;
        try {
            number = Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            String reason = text.chars().allMatch(Character::isDigit) && !text.isEmpty() ? "value out of range"
                    : "invalid syntax";
            return Response.error("Failed to parse block number with error strconv.ParseUint: parsing \"" + text
                    + "\": " + reason);
        }
        long wanted = number == -1L ? blocks.height() - 1 : number;
        Optional<Block> block = wanted < 0 ? Optional.empty() : blocks.blockByNumber(wanted);
        return block.map(Qscc::success).orElseGet(() -> Response.error("Failed to get block number "
                + Long.toUnsignedString(number) + ", error " + NOT_FOUND));
    }

    private Optional<String> checkAcl(String resource, String channelId, SignedProposal signedProposal) {
        Optional<ChannelView> channel = channels.channel(channelId);
        if (channel.isEmpty()) {
            return Optional.of("Failed to get policy manager for channel [" + channelId + "]");
        }
        SignedData signedData;
        try {
            Proposal proposal = Proposal.parseFrom(signedProposal.getProposalBytes());
            SignatureHeader signatureHeader = SignatureHeader.parseFrom(
                    Header.parseFrom(proposal.getHeader()).getSignatureHeader());
            signedData = new SignedData(signedProposal.getProposalBytes(), signatureHeader.getCreator(),
                    signedProposal.getSignature());
        } catch (InvalidProtocolBufferException e) {
            return Optional.of("Failing extracting proposal during check policy on channel [" + channelId + "]: ["
                    + e.getMessage() + "]");
        }
        PolicyResult result = channel.get().checkAcl(resource, List.of(signedData));
        return result.isSatisfied() ? Optional.empty() : Optional.of(result.message());
    }

    private static Response success(MessageLite message) {
        return Response.success(message.toByteArray());
    }

    @Override
    public String toString() {
        return "Qscc";
    }
}
