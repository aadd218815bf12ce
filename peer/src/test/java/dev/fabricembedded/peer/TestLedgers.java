package dev.fabricembedded.peer;

import dev.fabricembedded.ledger.ChannelLedgerBuilder;

import java.util.function.Consumer;

/** Small ledger files for tests (a ledger must be reopened with the sizes it was created with). */
final class TestLedgers {

    private TestLedgers() {
    }

    static Consumer<ChannelLedgerBuilder> small() {
        return b -> b.stateEntries(10_000).txIndexEntries(10_000).historyEntries(10_000).blockFileSize(4L << 20);
    }
}
