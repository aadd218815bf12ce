package dev.fabricembedded.cli;

import dev.fabricembedded.gateway.CommitException;
import dev.fabricembedded.gateway.SubmitResult;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * How the commands submit a transaction and report it: the txid, the validation code, the block, the payload and
 * the time spent endorsing and ordering+committing. A transaction committed as invalid is reported the same way and
 * then fails the command ({@link CommandFailedException}), since only {@code VALID} changed the ledger.
 *
 * <p>Stateless.
 */
final class Transactions {

    private Transactions() {
    }

    /**
     * Runs a submission as a progress step.
     *
     * @throws CommandFailedException after printing the txid and code, when the transaction is not VALID
     */
    static SubmitResult submit(Console console, String what, Console.Step<SubmitResult> submission)
            throws Exception {
        SubmitResult result;
        try {
            result = console.step(what, submission);
        } catch (CommitException e) {
            String txId = e.txId().orElse("?");
            console.line("txid:            %s", txId);
            console.line("validation code: %s (block %d)", e.code(), e.blockNumber());
            throw new CommandFailedException("transaction " + txId + " was committed as invalid: " + e.code()
                    + " (" + FabricEmbeddedCli.message(e) + ")");
        }
        if (result.code() != TxValidationCode.VALID) {
            print(console, result);
            throw new CommandFailedException("transaction " + result.txId() + " was committed as invalid: "
                    + result.code());
        }
        return result;
    }

    /** Prints a committed transaction. */
    static void print(Console console, SubmitResult result) {
        console.line("txid:            %s", result.txId());
        console.line("validation code: %s (block %d)", result.code(), result.blockNumber());
        console.line("payload:         %s", printable(result.payload()));
        console.line("timings:         endorse %s, order+commit %s, total %s",
                Console.duration(result.endorseTime().toNanos()), Console.duration(result.orderAndCommitTime()
                        .toNanos()), Console.duration(result.totalTime().toNanos()));
    }

    /**
     * A payload as text when it is UTF-8 without control characters (what chaincodes usually return), otherwise its
     * size and first bytes in hex (LSCC's deploy returns a serialized {@code ChaincodeData}).
     */
    static String printable(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
            if (text.chars().noneMatch(c -> c < 0x20 && c != '\t')) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // binary: below
        }
        String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
        return "(" + payload.length + " bytes of binary data: " + hex + (payload.length > 16 ? "..." : "") + ")";
    }

    /** The arguments as the JSON the user typed (for progress lines). */
    static String json(List<String> args) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < args.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"')
                    .append(args.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append(']').toString();
    }
}
