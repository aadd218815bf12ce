package dev.fabricembedded.ipc.chronicle;

import dev.fabricembedded.ipc.FrameHandler;
import dev.fabricembedded.ipc.HandlerExecutorContract;
import dev.fabricembedded.ipc.injvm.ChannelPair;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link dev.fabricembedded.ipc.HandlerExecutor} contract on a Chronicle channel, both ends in this JVM
 * (each with its own queue instances): {@code first} creates, {@code second} attaches.
 */
class ChronicleHandlerExecutorTest extends HandlerExecutorContract {

    @TempDir
    Path base;

    @Override
    protected ChannelPair open(String name, FrameHandler first, FrameHandler second) {
        Path dir = base.resolve(name);
        ChronicleChannel created = ChronicleChannel.builder(dir).name(name).create(first);
        try {
            return new ChannelPair(created, ChronicleChannel.builder(dir).name(name + "-c").attach(second));
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
    }

    @Override
    protected String firstEventThread(String name) {
        return "ipc-" + name + "-events";
    }
}
