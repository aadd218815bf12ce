package dev.fabricembedded.shim.impl;

import com.google.protobuf.ByteString;
import dev.fabricembedded.shim.Response;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;

/**
 * Builds the {@code ChaincodeMessage}s the shim sends, with the fields Fabric's shims set: type, txid, channel id,
 * payload and, on a transaction's result, the chaincode event. No timestamp, as in Fabric.
 */
final class ChaincodeMessageFactory {

    private ChaincodeMessageFactory() {
    }

    /** {@code REGISTER} with payload {@code ChaincodeID{name}}; no txid, no channel. */
    static ChaincodeMessage register(final String chaincodeId) {
        return ChaincodeMessage.newBuilder()
                .setType(ChaincodeMessage.Type.REGISTER)
                .setPayload(ChaincodeID.newBuilder().setName(chaincodeId).build().toByteString())
                .build();
    }

    /** A request of the given type for one transaction. */
    static ChaincodeMessage request(final ChaincodeMessage.Type type, final TxKey tx, final ByteString payload) {
        return ChaincodeMessage.newBuilder()
                .setType(type)
                .setChannelId(tx.channelId())
                .setTxid(tx.txId())
                .setPayload(payload)
                .build();
    }

    /** {@code COMPLETED} carrying the marshaled {@code peer.Response} and the event, if any. */
    static ChaincodeMessage completed(final TxKey tx, final Response response, final ChaincodeEvent event) {
        final org.hyperledger.fabric.protos.peer.Response proto = org.hyperledger.fabric.protos.peer.Response
                .newBuilder()
                .setStatus(response.status())
                .setMessage(response.message())
                .setPayload(ByteString.copyFrom(response.payload()))
                .build();
        return result(ChaincodeMessage.Type.COMPLETED, tx, proto.toByteString(), event);
    }

    /** {@code ERROR} carrying a text and the event, if any. */
    static ChaincodeMessage error(final TxKey tx, final String text, final ChaincodeEvent event) {
        return result(ChaincodeMessage.Type.ERROR, tx, ByteString.copyFromUtf8(text), event);
    }

    /**
     * {@code ERROR} for a chaincode that threw: the payload is the stack trace, as Fabric's Java shim sends it (its
     * first line is the exception's class and message).
     */
    static ChaincodeMessage error(final TxKey tx, final Throwable thrown) {
        final StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return error(tx, text.toString(), null);
    }

    private static ChaincodeMessage result(final ChaincodeMessage.Type type, final TxKey tx, final ByteString payload,
            final ChaincodeEvent event) {
        final ChaincodeMessage.Builder builder = ChaincodeMessage.newBuilder()
                .setType(type)
                .setChannelId(tx.channelId())
                .setTxid(tx.txId())
                .setPayload(payload);
        if (event != null) {
            builder.setChaincodeEvent(event);
        }
        return builder.build();
    }
}
