package dev.fabricembedded.ipc.injvm;

import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.HandlerExecutorContract;

/** The {@link dev.fabricembedded.ipc.HandlerExecutor} contract on an in-JVM pair. */
class InJvmHandlerExecutorTest extends HandlerExecutorContract {

    @Override
    protected ChannelPair open(String name, FrameHandler first, FrameHandler second) {
        return InJvmChannels.pair(name, first, second);
    }

    @Override
    protected String firstEventThread(String name) {
        return "ipc-" + name + "-a-events";
    }
}
