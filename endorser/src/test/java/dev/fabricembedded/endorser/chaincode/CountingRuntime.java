package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.endorser.runtime.ChaincodeRuntime;
import dev.fabricembedded.endorser.runtime.LaunchSpec;
import dev.fabricembedded.endorser.runtime.RunningChaincode;
import dev.fabricembedded.ipc.FrameHandler;
import java.util.concurrent.atomic.AtomicInteger;

/** A runtime that counts the starts it passes on to a real one. */
final class CountingRuntime implements ChaincodeRuntime {

    private final ChaincodeRuntime delegate;
    private final AtomicInteger starts = new AtomicInteger();

    CountingRuntime(final ChaincodeRuntime delegate) {
        this.delegate = delegate;
    }

    int starts() {
        return starts.get();
    }

    @Override
    public RunningChaincode start(final LaunchSpec spec, final FrameHandler peerSideHandler) {
        starts.incrementAndGet();
        return delegate.start(spec, peerSideHandler);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
