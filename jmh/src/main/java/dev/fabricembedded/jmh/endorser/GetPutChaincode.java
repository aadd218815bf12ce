package dev.fabricembedded.jmh.endorser;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The benchmarks' chaincode: {@code getput KEY} reads one key and writes it back incremented (one GET_STATE and one
 * PUT_STATE); Init writes the keys it is given ({@code init K...}), each to {@code 0}. Runs in a child JVM from a jar
 * holding only this class.
 */
public final class GetPutChaincode implements Chaincode {

    @Override
    public Response init(final ChaincodeStub stub) {
        for (final String key : stub.getParameters()) {
            stub.putStringState(key, "0");
        }
        return Response.success();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        final List<String> args = stub.getParameters();
        if (!"getput".equals(stub.getFunction()) || args.size() != 1) {
            return Response.error("expected getput KEY");
        }
        final byte[] value = stub.getState(args.get(0));
        final long current = value.length == 0 ? 0 : Long.parseLong(new String(value, StandardCharsets.UTF_8));
        stub.putStringState(args.get(0), Long.toString(current + 1));
        return Response.success();
    }
}
