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
 */
public record ValidationRequest(Envelope envelope, String namespace, ByteString policy, ChannelView channel,
                                StateReader state) {

    public ValidationRequest {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(state, "state");
    }
}
