package dev.fabricembedded.peer.committer;

import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.scc.vscc.StateReader;
import dev.fabricembedded.scc.vscc.ValidationPluginRegistry;
import java.util.Objects;

/**
 * Everything the validation of one block reads, fixed for the duration of that block: its number, the channel
 * configuration in force, the committed state (read through a per-block cache: only the committing thread changes
 * the state, and it is busy validating), the chaincode definitions read from it (parsed once per block), the
 * ledger's txid index, the validation plugins and the system chaincodes. Shared read-only by the validator workers.
 */
record BlockContext(long blockNumber, ChannelSnapshot channel, StateReader state, ChaincodeDefinitions definitions,
                    ChannelLedger ledger, ValidationPluginRegistry plugins, SystemChaincodeProvider systemChaincodes) {

    BlockContext {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(plugins, "plugins");
        Objects.requireNonNull(systemChaincodes, "systemChaincodes");
    }
}
