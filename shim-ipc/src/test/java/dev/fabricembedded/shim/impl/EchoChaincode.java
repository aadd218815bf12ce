package dev.fabricembedded.shim.impl;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;

/**
 * A chaincode for process tests: init stores its arguments as key/value pairs; invoke {@code get k} returns the
 * value of {@code k}, {@code exit n} halts the process with status {@code n}.
 */
public final class EchoChaincode implements Chaincode {

    @Override
    public Response init(final ChaincodeStub stub) {
        final var args = stub.getStringArgs();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            stub.putStringState(args.get(i), args.get(i + 1));
        }
        return Response.success();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        return switch (stub.getFunction()) {
            case "get" -> Response.success(stub.getStringState(stub.getParameters().get(0)));
            case "exit" -> {
                Runtime.getRuntime().halt(Integer.parseInt(stub.getParameters().get(0)));
                yield Response.error("unreachable");
            }
            default -> Response.error("unknown function " + stub.getFunction());
        };
    }
}
