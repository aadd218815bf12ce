package dev.fabricembedded.orderer.msgprocessor;

import dev.fabricembedded.orderer.channelconfig.ChannelConfig;
import dev.fabricembedded.orderer.channelconfig.ConfigKeys;
import org.hyperledger.fabric.protos.common.Envelope;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ordered list of {@link Rule}s; the first rejection wins (Fabric's {@code RuleSet}). Immutable and thread-safe.
 */
public final class RuleSet implements Rule {

    private final List<Rule> rules;

    public RuleSet(List<? extends Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Fabric's {@code CreateStandardChannelFilters} for normal messages of a channel, in order: empty payload,
     * {@code AbsoluteMaxBytes}, creator expiry (when {@code expirationChecks} is on and the orderer capability
     * {@code ExpirationCheck} is set; Fabric's {@code General.Authentication.NoExpirationChecks} is the inverse),
     * and {@code /Channel/Writers}.
     */
    public static RuleSet standardChannel(ChannelConfig config, Clock clock, boolean expirationChecks) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        List<Rule> rules = new ArrayList<>();
        rules.add(new EmptyRejectRule());
        rules.add(new MaxBytesRule(config.batchSettings().absoluteMaxBytes()));
        if (expirationChecks && config.ordererCapabilities().expirationCheck()) {
            rules.add(new ExpirationRejectRule(clock));
        }
        rules.add(new SigFilter(config.policy(ConfigKeys.CHANNEL_WRITERS)));
        return new RuleSet(rules);
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    @Override
    public FilterResult apply(Envelope envelope) {
        for (Rule rule : rules) {
            FilterResult result = rule.apply(envelope);
            if (!result.isAccepted()) {
                return result;
            }
        }
        return FilterResult.accept();
    }
}
