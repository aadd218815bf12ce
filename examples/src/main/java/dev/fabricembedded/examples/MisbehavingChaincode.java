package dev.fabricembedded.examples;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * A chaincode that fails on request, for testing how the peer copes. Init and invoke behave alike, chosen by the
 * function name:
 *
 * <ul>
 * <li>{@code ok}: status 200</li>
 * <li>{@code throw}: throws an {@link IllegalStateException} (the shim answers ERROR with its stack trace)</li>
 * <li>{@code hang}: never returns (waits forever; only an interrupt, as sent when the shim closes, ends it)</li>
 * <li>{@code status400}: status 400 (COMPLETED; not endorsed; an Init with it still succeeds)</li>
 * <li>{@code status500}: status 500 (the shim answers ERROR with the message)</li>
 * <li>{@code exit [STATUS]}: writes a key, then exits the JVM mid-transaction with STATUS (default 3) without
 * answering</li>
 * <li>{@code bigValue}: writes a 10 MiB value under {@code big}</li>
 * </ul>
 */
public final class MisbehavingChaincode implements Chaincode {

    /** The size of the {@code bigValue} write. */
    public static final int BIG_VALUE_SIZE = 10 * 1024 * 1024;

    @Override
    public Response init(final ChaincodeStub stub) {
        return behave(stub);
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        return behave(stub);
    }

    private static Response behave(final ChaincodeStub stub) {
        final String function = String.valueOf(stub.getFunction());
        return switch (function) {
            case "ok" -> Response.success("fine");
            case "throw" -> throw new IllegalStateException("misbehaving chaincode throws on purpose");
            case "hang" -> hang();
            case "status400" -> Response.of(Response.ERROR_THRESHOLD, "bad request on purpose", null);
            case "status500" -> Response.error("internal error on purpose");
            case "exit" -> {
                stub.putStringState("exiting", "yes");
                final int status = stub.getParameters().isEmpty() ? 3 : Integer.parseInt(stub.getParameters().get(0));
                System.exit(status);
                yield Response.error("still running after System.exit");
            }
            case "bigValue" -> {
                final byte[] value = new byte[BIG_VALUE_SIZE];
                Arrays.fill(value, (byte) 'x');
                stub.putState("big", value);
                yield Response.success();
            }
            default -> Response.error("unknown misbehaviour " + function);
        };
    }

    private static Response hang() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Response.error("hang interrupted");
    }
}
