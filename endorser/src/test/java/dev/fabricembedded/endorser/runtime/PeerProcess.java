package dev.fabricembedded.endorser.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in peer for {@link PeerDeathTest}, run in its own JVM: it starts the test chaincode with a
 * {@link ProcessRuntime}, prints {@code chaincode pid <pid> ready} once the chaincode is ready, and then either exits
 * without closing the runtime ({@code exit}) or waits to be killed ({@code wait}).
 */
public final class PeerProcess {

    private PeerProcess() {
    }

    public static void main(final String[] args) throws Exception {
        final String mode = args[0];
        final Path jar = Path.of(args[1]);
        final Path channels = Path.of(args[2]);
        final ReadyPeer peer = new ReadyPeer();
        final ProcessRuntime runtime = ProcessRuntime.builder().channelBaseDir(channels).build();
        final RunningChaincode cc = runtime.start(LaunchSpec.builder("mycc", "1.0").packageJars(List.of(jar)).build(),
                peer);
        peer.awaitReady(cc.channel(), 60);
        System.out.println("chaincode pid " + ((ChildProcessChaincode) cc).process().pid() + " ready");
        System.out.flush();
        if (mode.equals("exit")) {
            System.exit(0); // without closing the runtime: its shutdown hook is the last resort
        }
        Thread.sleep(600_000);
    }
}
