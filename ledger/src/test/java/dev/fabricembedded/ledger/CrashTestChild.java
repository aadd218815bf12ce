package dev.fabricembedded.ledger;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.testing.Ledgers;
import dev.fabricembedded.ledger.testing.TestBlocks;
import dev.fabricembedded.ledger.txmgr.ResultsIterator;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The process the crash test kills: opens the ledger (recovering it), then commits blocks of random
 * transactions as fast as it can, printing {@code committed <n>} after each commit returns, until it is killed.
 * A watchdog ends it after two minutes in case the test that started it died first.
 */
public final class CrashTestChild {
    static final String[] NAMESPACES = {"cc", "cc2"};
    static final int KEYS = 150;

    private CrashTestChild() {
    }

    public static void main(final String[] args) throws Exception {
        final Path directory = Path.of(args[0]);
        final long seed = Long.parseLong(args[1]);
        final Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(3);
        }, "crash-child-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final Random random = new Random(seed);
        try (ChannelLedger ledger = Ledgers.small(directory).open()) {
            out.println("opened " + ledger.height());
            while (true) {
                final long number = ledger.height();
                ledger.commit(Ledgers.nextBlock(ledger, transactions(ledger, number, seed, random)));
                out.println("committed " + number);
            }
        }
    }

    static List<ByteString> transactions(final ChannelLedger ledger, final long number, final long seed,
                                         final Random random) {
        final List<ByteString> txs = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            final String txId = "b" + number + "-t" + t + "-s" + seed;
            txs.add(Ledgers.simulate(ledger, txId, sim -> {
                final int ops = 1 + random.nextInt(4);
                for (int op = 0; op < ops; op++) {
                    final String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
                    final String key = "k" + random.nextInt(KEYS);
                    final int kind = random.nextInt(20);
                    if (kind < 13) {
                        sim.getState(ns, key);
                        final byte[] value = new byte[1 + random.nextInt(2000)];
                        random.nextBytes(value);
                        sim.setState(ns, key, value);
                    } else if (kind < 15) {
                        sim.deleteState(ns, key);
                    } else if (kind < 17) {
                        try (ResultsIterator<KV> scan = sim.getStateRangeScanIterator(ns, "k3", "k5")) {
                            scan.forEachRemaining(kv -> { });
                        }
                        sim.setState(ns, "scan-" + random.nextInt(5), Ledgers.bytes(txId));
                    } else if (kind < 18) {
                        sim.setStateMetadata(ns, key, Map.of("VALIDATION_PARAMETER", Ledgers.bytes(txId)));
                    } else {
                        sim.getState(ns, key);
                    }
                }
            }));
        }
        if (number % 7 == 3) {
            txs.add(TestBlocks.endorserTx("garbage-" + number + "-s" + seed, ByteString.copyFromUtf8("\u00ff garbage"),
                    1));
        }
        return txs;
    }
}
