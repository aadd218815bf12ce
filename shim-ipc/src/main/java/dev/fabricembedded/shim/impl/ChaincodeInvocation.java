package dev.fabricembedded.shim.impl;

import dev.fabricembedded.ipc.ChannelClosedException;
import dev.fabricembedded.ipc.FrameChannel;
import dev.fabricembedded.ipc.FrameTooLargeException;
import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.Response;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one INIT or TRANSACTION on a worker thread and sends its result, with the completion rules of Fabric's Java
 * shim: a {@link Response} with status 500 or more becomes {@code ERROR} carrying the response message (and the
 * event); any other status becomes {@code COMPLETED} carrying the marshaled {@code peer.Response} (and the event);
 * a throwable (from parsing the message or from the chaincode) becomes {@code ERROR} carrying its stack trace. A
 * connection following the Go shim's convention ({@link ChaincodeConnection.Builder#completeFailedInvokes}) answers
 * every Invoke that returned a response with {@code COMPLETED}.
 */
final class ChaincodeInvocation implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ChaincodeInvocation.class);

    private final ChaincodeMessage message;
    private final TransactionContext context;
    private final Chaincode chaincode;
    private final FrameChannel channel;
    private final boolean completeFailedInvokes;

    /**
     * @param completeFailedInvokes answer an Invoke with COMPLETED whatever its status (Fabric's Go shim), instead of
     *                              ERROR for a status of 500 or more (the Java shim); Init keeps the ERROR rule
     */
    ChaincodeInvocation(final ChaincodeMessage message, final TransactionContext context, final Chaincode chaincode,
            final FrameChannel channel, final boolean completeFailedInvokes) {
        this.message = message;
        this.context = context;
        this.chaincode = chaincode;
        this.channel = channel;
        this.completeFailedInvokes = completeFailedInvokes;
    }

    @Override
    public void run() {
        final TxKey tx = context.key();
        ChaincodeMessage result;
        Throwable fatal = null;
        try {
            final InvocationStub stub = new InvocationStub(message, context);
            final Response response = message.getType() == ChaincodeMessage.Type.INIT
                    ? chaincode.init(stub)
                    : chaincode.invoke(stub);
            if (response == null) {
                throw new IllegalStateException("chaincode " + chaincode.getClass().getName() + " returned no Response"
                        + " from " + (message.getType() == ChaincodeMessage.Type.INIT ? "init" : "invoke"));
            }
            if (response.status() >= Response.INTERNAL_SERVER_ERROR
                    && (message.getType() == ChaincodeMessage.Type.INIT || !completeFailedInvokes)) {
                LOG.warn("{} {} failed with status {}: {}", tx, message.getType(), response.status(),
                        response.message());
                result = ChaincodeMessageFactory.error(tx, response.message(), stub.getEvent());
            } else {
                LOG.debug("{} {} completed with status {}", tx, message.getType(), response.status());
                result = ChaincodeMessageFactory.completed(tx, response, stub.getEvent());
            }
        } catch (Throwable t) {
            LOG.warn("{} {} failed: {}", tx, message.getType(), t.toString());
            result = ChaincodeMessageFactory.error(tx, t);
            if (t instanceof VirtualMachineError) {
                fatal = t;
            }
        }
        context.finish();
        send(tx, result);
        context.resultSent();
        if (fatal instanceof Error error) {
            throw error;
        }
    }

    private void send(final TxKey tx, final ChaincodeMessage result) {
        try {
            channel.send(result.toByteArray());
        } catch (FrameTooLargeException e) {
            LOG.warn("{} result does not fit in a frame: {}", tx, e.getMessage());
            sendQuietly(tx, ChaincodeMessageFactory.error(tx, "the chaincode's result could not be sent: "
                    + e.getMessage(), null));
        } catch (ChannelClosedException e) {
            LOG.warn("{} result of {} not sent: {}", tx, message.getType(), e.getMessage());
        }
    }

    private void sendQuietly(final TxKey tx, final ChaincodeMessage error) {
        try {
            channel.send(error.toByteArray());
        } catch (RuntimeException e) {
            LOG.warn("{} error result not sent either: {}", tx, e.toString());
        }
    }
}
