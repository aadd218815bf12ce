package dev.fabricembedded.shim.impl;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.fabricembedded.ipc.FrameClaim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * Claims, for a chaincode thread reading the inbound queue itself, the peer's answer to its own request: a
 * {@code ChaincodeMessage} of type {@code RESPONSE} or {@code ERROR} for the same (channel, txid), exactly what the
 * event loop's {@link ShimHandler} would hand to that thread's {@link PendingResponse}.
 *
 * <p>It decides without parsing the message: it walks the top-level fields with protobuf's own reader, reads the type,
 * compares the txid and channel id bytes in place with the expected UTF-8 bytes, and skips everything else (the
 * payload may be megabytes), so a frame it does not claim (another transaction's answer, an INIT, a keepalive) costs
 * a few dozen nanoseconds and no allocation beyond the reader, and is parsed once, by the handler. Repeated fields
 * follow protobuf's last-one-wins rule, as a parse would. A frame that is not a well-formed message is not claimed:
 * the handler logs and drops it as before. Confined to the thread that holds the lease.
 */
final class AnswerClaim implements FrameClaim {

    private static final int TYPE_TAG = tag(ChaincodeMessage.TYPE_FIELD_NUMBER, WireFormat.WIRETYPE_VARINT);
    private static final int TXID_TAG = tag(ChaincodeMessage.TXID_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    private static final int CHANNEL_TAG =
            tag(ChaincodeMessage.CHANNEL_ID_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);

    private final byte[] txId;
    private final byte[] channelId;

    AnswerClaim(final TxKey key) {
        this.txId = key.txId().getBytes(StandardCharsets.UTF_8);
        this.channelId = key.channelId().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean claims(final byte[] frame) {
        final CodedInputStream in = CodedInputStream.newInstance(frame);
        int type = ChaincodeMessage.Type.UNDEFINED_VALUE;
        // proto3: an empty string is not written at all
        boolean sameTx = txId.length == 0;
        boolean sameChannel = channelId.length == 0;
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (tag == TYPE_TAG) {
                    type = in.readEnum();
                } else if (tag == TXID_TAG) {
                    sameTx = nextBytesEqual(in, frame, txId);
                } else if (tag == CHANNEL_TAG) {
                    sameChannel = nextBytesEqual(in, frame, channelId);
                } else if (!in.skipField(tag)) {
                    return false;
                }
            }
        } catch (IOException notAMessage) {
            return false;
        }
        return (type == ChaincodeMessage.Type.RESPONSE_VALUE || type == ChaincodeMessage.Type.ERROR_VALUE)
                && sameTx && sameChannel;
    }

    /** A field's tag as the protobuf wire format writes it: field number, then the 3-bit wire type. */
    private static int tag(final int fieldNumber, final int wireType) {
        return fieldNumber << 3 | wireType;
    }

    /** Reads a length-delimited field's length and compares its bytes, in place, with {@code expected}. */
    private static boolean nextBytesEqual(final CodedInputStream in, final byte[] frame, final byte[] expected)
            throws IOException {
        final int length = in.readRawVarint32();
        final int start = in.getTotalBytesRead();
        if (length < 0 || length > frame.length - start) {
            throw new IOException("truncated field");
        }
        final boolean equal = length == expected.length
                && Arrays.equals(frame, start, start + length, expected, 0, length);
        in.skipRawBytes(length);
        return equal;
    }
}
