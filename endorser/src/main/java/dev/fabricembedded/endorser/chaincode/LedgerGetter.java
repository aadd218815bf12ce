package dev.fabricembedded.endorser.chaincode;

import dev.fabricembedded.ledger.ChannelLedger;
import java.util.Optional;

/**
 * The ledgers of the channels this peer has joined (Fabric's {@code LedgerGetter}): chaincode support needs one when a
 * chaincode invokes a chaincode on another channel, which runs on a fresh simulator of that channel's ledger.
 */
@FunctionalInterface
public interface LedgerGetter {

    /** A getter that knows no ledger: cross-channel chaincode calls fail. */
    LedgerGetter NONE = channelId -> Optional.empty();

    /** The ledger of {@code channelId}, empty if this peer has not joined it. */
    Optional<ChannelLedger> ledger(String channelId);
}
