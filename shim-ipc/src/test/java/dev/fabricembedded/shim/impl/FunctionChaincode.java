package dev.fabricembedded.shim.impl;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import java.util.function.Function;

/** A chaincode whose init and invoke are the same function, for tests. */
record FunctionChaincode(Function<ChaincodeStub, Response> body) implements Chaincode {

    @Override
    public Response init(final ChaincodeStub stub) {
        return body.apply(stub);
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        return body.apply(stub);
    }
}
