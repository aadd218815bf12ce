package dev.fabricembedded.scc.qscc;

import dev.fabricembedded.ledger.block.BlockReader;
import java.util.Optional;

/** The block stores of the channels this peer has joined, by channel id. Implementations are thread-safe. */
@FunctionalInterface
public interface BlockReaders {

    /** The committed blocks of a joined channel; empty if the peer has no ledger for it. */
    Optional<BlockReader> blocks(String channelId);
}
