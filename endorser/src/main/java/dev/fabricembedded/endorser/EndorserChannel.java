package dev.fabricembedded.endorser;

import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.scc.channel.ChannelView;
import java.util.Objects;

/**
 * A channel this peer has joined, as the endorser needs it: the {@link ChannelView} its configuration gives (the
 * application organisations' MSP ids, the identity deserializer, capabilities and ACL checks such as
 * {@code peer/Propose} over {@code /Channel/Application/Writers}) and its ledger.
 *
 * <p>The peer implements it from the channel configuration it committed; {@link StaticEndorserChannel} is a
 * ready implementation over a fixed set of organisations. Implementations are immutable snapshots (a configuration
 * update replaces the channel object) and thread-safe. The ledger is owned by whoever opened it, not by the channel.
 */
public interface EndorserChannel extends ChannelView {

    /** The channel's ledger. */
    ChannelLedger ledger();

    /**
     * The channel whose configuration questions {@code view} answers and whose ledger is {@code ledger}: how a peer
     * following a real channel configuration builds its endorser channel.
     */
    static EndorserChannel of(final ChannelView view, final ChannelLedger ledger) {
        return new ViewEndorserChannel(view, Objects.requireNonNull(ledger, "ledger"));
    }
}
