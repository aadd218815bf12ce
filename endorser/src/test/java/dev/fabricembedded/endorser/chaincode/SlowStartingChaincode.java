package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;

/**
 * A chaincode whose construction takes ten minutes: started as a process, it never connects and never registers, so
 * only the start-up timeout ends its launch. Packaged by the tests into a jar of its own.
 */
public final class SlowStartingChaincode implements Chaincode {

    public SlowStartingChaincode() throws InterruptedException {
        Thread.sleep(600_000);
    }

    @Override
    public Response init(final ChaincodeStub stub) {
        return Response.success();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        return Response.success();
    }
}
