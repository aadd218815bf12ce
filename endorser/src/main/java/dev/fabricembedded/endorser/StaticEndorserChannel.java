package dev.fabricembedded.endorser;

import dev.fabricembedded.ledger.ChannelLedger;
import dev.fabricembedded.msp.Msp;
import dev.fabricembedded.msp.MspManager;
import dev.fabricembedded.msp.policy.ImplicitMetaPolicy;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.PolicyGroup;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ConfiguredChannelView;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link EndorserChannel} whose configuration is fixed when it is built: a ledger and the MSPs of its application
 * organisations, each with the policies {@code configtxgen}'s sample profile gives an organisation
 * ({@code Readers = OR(admin, peer, client)}, {@code Writers = OR(admin, client)}, {@code Admins = OR(admin)}), and
 * the channel's {@code Application} and {@code Channel} groups with the sample ImplicitMeta policies
 * ({@code ANY Readers}, {@code ANY Writers}, {@code MAJORITY Admins}). So {@code peer/Propose}
 * ({@code /Channel/Application/Writers}) admits the organisations' admins and clients, and refuses their peers.
 *
 * <p>For tests, demos and embedded peers with a static membership; a peer following a real channel configuration
 * builds its channel with {@link EndorserChannel#of} from that configuration's view instead. Immutable and
 * thread-safe.
 */
public final class StaticEndorserChannel extends ViewEndorserChannel {

    private final ConfiguredChannelView view;

    private StaticEndorserChannel(final ConfiguredChannelView view, final ChannelLedger ledger) {
        super(view, ledger);
        this.view = view;
    }

    /** The view of the builder's organisations with configtxgen's sample policies. */
    private static ConfiguredChannelView view(final Builder builder) {
        if (builder.organizations.isEmpty()) {
            throw new IllegalArgumentException("a channel needs at least one application organisation");
        }
        final MspManager msps = MspManager.of(builder.organizations);
        final PolicyGroup.Builder application = PolicyGroup.builder("Application");
        final List<String> orgs = new ArrayList<>();
        for (final Msp msp : builder.organizations) {
            final String id = msp.name();
            orgs.add(id);
            application.group(PolicyGroup.builder(id)
                    .signaturePolicy("Readers", PolicyDsl.parse(
                            "OR('" + id + ".admin', '" + id + ".peer', '" + id + ".client')"), msps)
                    .signaturePolicy("Writers", PolicyDsl.parse("OR('" + id + ".admin', '" + id + ".client')"), msps)
                    .signaturePolicy("Admins", PolicyDsl.parse("OR('" + id + ".admin')"), msps)
                    .build());
        }
        application.implicitMeta("Readers", ImplicitMetaPolicy.Rule.ANY, "Readers")
                .implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY, "Writers")
                .implicitMeta("Admins", ImplicitMetaPolicy.Rule.MAJORITY, "Admins");
        final PolicyGroup channel = PolicyGroup.builder("Channel")
                .group(application.build())
                .implicitMeta("Readers", ImplicitMetaPolicy.Rule.ANY, "Readers")
                .implicitMeta("Writers", ImplicitMetaPolicy.Rule.ANY, "Writers")
                .implicitMeta("Admins", ImplicitMetaPolicy.Rule.MAJORITY, "Admins")
                .build();
        return ConfiguredChannelView.builder(builder.ledger.channelId())
                .applicationOrgs(orgs)
                .deserializer(msps)
                .capabilities(builder.capabilities)
                .policies(channel)
                .build();
    }

    /** A builder for the channel of {@code ledger} (its channel id is the ledger's). */
    public static Builder builder(final ChannelLedger ledger) {
        return new Builder(ledger);
    }

    /** The channel's policy tree (root group {@code Channel}). */
    public PolicyGroup policies() {
        return view.policies();
    }

    /** Builder for {@link StaticEndorserChannel}; capabilities default to {@code V1_3}. */
    public static final class Builder {
        private final ChannelLedger ledger;
        private final List<Msp> organizations = new ArrayList<>();
        private ChannelCapabilities capabilities = ChannelCapabilities.v1_3();

        private Builder(final ChannelLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
        }

        /** Adds an application organisation. */
        public Builder organization(final Msp msp) {
            organizations.add(Objects.requireNonNull(msp, "msp"));
            return this;
        }

        /** The application capabilities (default {@code V1_3}). */
        public Builder capabilities(final ChannelCapabilities value) {
            this.capabilities = Objects.requireNonNull(value, "capabilities");
            return this;
        }

        public StaticEndorserChannel build() {
            return new StaticEndorserChannel(view(this), ledger);
        }
    }
}
