package dev.fabricembedded.scc.vscc;

import com.google.protobuf.ByteString;
import dev.fabricembedded.scc.channel.ChannelView;
import java.util.Objects;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * What a {@link ValidationPlugin} validates: one endorser transaction for one namespace it writes (Fabric passes the
 * block and the transaction's position; the envelope is what the plugin reads from them).
 *
 * @param envelope  the transaction as ordered
 * @param namespace the namespace being validated (the chaincode name, or {@code lscc} for deploy/upgrade)
 * @param policy    the endorsement policy of the namespace: serialized {@code SignaturePolicyEnvelope} bytes from the
 *                  chaincode definition (or the committer's default for a system chaincode)
 * @param channel   the channel the block belongs to
 * @param state     the channel's committed state (before this block)
 * @param parsed    the envelope already parsed and checked by the caller (see {@link EndorserTransaction}), or
 *                  {@code null} for the plugin to parse it
 */
public record ValidationRequest(Envelope envelope, String namespace, ByteString policy, ChannelView channel,
                                StateReader state, EndorserTransaction parsed) {

    /**
     * @throws IllegalArgumentException when {@code parsed} is not the parse of {@code envelope}
     */
    public ValidationRequest {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
        if (parsed != null && parsed.envelope() != envelope && !parsed.envelope().equals(envelope)) {
            throw new IllegalArgumentException("the parsed transaction is not the envelope's");
        }
    }

    /** A request whose envelope the plugin parses itself. */
    public ValidationRequest(Envelope envelope, String namespace, ByteString policy, ChannelView channel,
                             StateReader state) {
        this(envelope, namespace, policy, channel, state, null);
    }

    /**
     * The transaction's parts: the caller's parse when given, otherwise parsed now.
     *
     * @throws EndorserTransaction.InvalidTransactionException with the policy-failure text
     */
    EndorserTransaction transaction() throws EndorserTransaction.InvalidTransactionException {
        return parsed != null ? parsed : EndorserTransaction.parse(envelope);
    }
}
