package dev.fabricembedded.endorser;

import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.msp.IdentityDeserializer;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ChannelView;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EndorserChannel} that answers every {@link ChannelView} question from one view and adds the ledger: the
 * single place where a channel's configuration view and its ledger are joined, whether the view comes from a fixed
 * membership ({@link StaticEndorserChannel}) or from a channel configuration ({@link EndorserChannel#of}).
 * Immutable and thread-safe when the view is.
 */
class ViewEndorserChannel implements EndorserChannel {

    private final ChannelView view;
    private final ChannelLedger ledger;

    ViewEndorserChannel(final ChannelView view, final ChannelLedger ledger) {
        this.view = Objects.requireNonNull(view, "view");
        this.ledger = ledger;
    }

    @Override
    public ChannelLedger ledger() {
        return ledger;
    }

    @Override
    public String channelId() {
        return view.channelId();
    }

    @Override
    public List<String> applicationOrgs() {
        return view.applicationOrgs();
    }

    @Override
    public IdentityDeserializer deserializer() {
        return view.deserializer();
    }

    @Override
    public ChannelCapabilities capabilities() {
        return view.capabilities();
    }

    @Override
    public PolicyResult checkAcl(final String resource, final List<SignedData> signedData) {
        return view.checkAcl(resource, signedData);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + channelId() + ", orgs=" + applicationOrgs() + "}";
    }
}
