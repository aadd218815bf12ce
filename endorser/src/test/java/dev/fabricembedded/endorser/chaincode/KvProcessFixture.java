package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.endorser.runtime.ProcessRuntime;
import dev.fabricembedded.ipc.chronicle.ChronicleChannelBuilder;
import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.ledger.txmgr.TxSimulator;
import dev.fabricembedded.shim.testing.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;

/**
 * What the lease and saturation process tests share: a ledger with {@code kv/b = "2"} committed, the {@code kv} and
 * {@code misbehaving} example chaincodes deployed as {@code kv:1.0} and {@code bad:1.0}, and a {@link ChaincodeSupport}
 * over real child processes, configured further by the test. Closing it closes both and checks that no chaincode or
 * ipc thread, process, channel directory or package is left behind.
 */
final class KvProcessFixture implements AutoCloseable {
    final ChannelLedger ledger;
    final ChaincodeSupport support;
    private final String channel;
    private final Path channels;
    private final Path packages;

    KvProcessFixture(final Path dir, final String channel, final UnaryOperator<ChaincodeSupport.Builder> configure)
            throws IOException {
        this(dir, channel, ChronicleChannelBuilder.DEFAULT_LANES, configure);
    }

    /** With {@code lanes} lanes per chaincode channel ({@code 0}: every execution goes through the channel). */
    KvProcessFixture(final Path dir, final String channel, final int lanes,
            final UnaryOperator<ChaincodeSupport.Builder> configure) throws IOException {
        this.channel = channel;
        ledger = TestLedgers.open(dir.resolve("ledger"), channel);
        final TxReadWriteSet setup;
        try (TxSimulator simulator = ledger.newTxSimulator("setup")) {
            simulator.setState("kv", "b", "2".getBytes(StandardCharsets.UTF_8));
            setup = simulator.getTxSimulationResults();
        }
        TestLedgers.commit(ledger, "setup", setup);
        channels = dir.resolve("channels");
        packages = dir.resolve("packages");
        final Installed installed = new Installed(dir.resolve("chaincodes"));
        installed.deploy(ledger, "kv", "1.0", ExampleJars.bytes("kv"));
        installed.deploy(ledger, "bad", "1.0", ExampleJars.bytes("misbehaving"));
        support = configure.apply(ChaincodeSupport.builder()
                .runtime(ProcessRuntime.builder().channelBaseDir(channels).stopGracePeriod(Duration.ofSeconds(1))
                        .channelSettings(c -> c.lanes(lanes)).build())
                .packageDir(packages)
                .packages(installed.store()))
                .build();
    }

    /** Executes {@code name:1.0} with {@code args} on a fresh simulator of the channel; its response payload as text. */
    String execute(final String name, final String... args) throws ChaincodeException {
        final String txId = Invocations.txId();
        try (TxSimulator simulator = ledger.newTxSimulator(txId)) {
            return support.execute(Invocations.context(channel, name, "1.0", txId).simulator(simulator).build(),
                    Invocations.input(args)).response().getPayload().toStringUtf8();
        }
    }

    @Override
    public void close() throws IOException {
        support.close();
        ledger.close();
        LeakCheck.threadsNamed("chaincode-", "ipc-").assertNothingLeft(channels, packages);
    }
}
