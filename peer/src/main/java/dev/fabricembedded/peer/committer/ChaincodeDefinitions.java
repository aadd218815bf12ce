package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.vscc.StateReader;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The chaincode definitions one block's validation reads from lscc state (Fabric's {@code getCDataForCC}), each read
 * and parsed once per block instead of once per transaction: most transactions of a block invoke the same few
 * chaincodes. Exact for the same reason as the block's {@link BlockStateCache}, which the definitions are read
 * through: the committed state cannot change until the block is committed. Handing every transaction the same
 * {@link ChaincodeData} also hands it the same policy {@code ByteString}, whose hash is then computed once for the
 * channel's compiled-policy lookup instead of once per transaction.
 *
 * <p>Thread-safe (the validator workers share it); discarded with the block. A state read that fails is thrown and
 * nothing is remembered.
 */
final class ChaincodeDefinitions {

    private static final String LSCC = "lscc";

    /** A definition read from lscc state, or Fabric's reason why it cannot be used ({@code data} is then null). */
    record Definition(ChaincodeData data, String error) {
    }

    private final StateReader state;
    private final ConcurrentMap<String, Definition> byNamespace = new ConcurrentHashMap<>();

    ChaincodeDefinitions(StateReader state) {
        this.state = Objects.requireNonNull(state, "state");
    }

    /** The definition of the chaincode of {@code namespace}, as Fabric's {@code getCDataForCC} reads it. */
    Definition get(String namespace) {
        Definition definition = byNamespace.get(namespace);
        if (definition == null) {
            // read outside computeIfAbsent: a failing read must not leave anything behind
            definition = read(namespace);
            Definition raced = byNamespace.putIfAbsent(namespace, definition);
            if (raced != null) {
                definition = raced;
            }
        }
        return definition;
    }

    private Definition read(String namespace) {
        byte[] bytes = state.getState(LSCC, namespace);
        if (bytes == null) {
            return new Definition(null, "lscc's state for [" + namespace + "] not found.");
        }
        ChaincodeData data;
        try {
            data = ChaincodeData.parse(ByteString.copyFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            return new Definition(null, "unmarshalling ChaincodeQueryResponse failed, error " + e.getMessage());
        }
        if (data.vscc().isEmpty()) {
            return new Definition(null, "lscc's state for [" + namespace + "] is invalid, vscc field must be set");
        }
        if (data.policy().isEmpty()) {
            return new Definition(null, "lscc's state for [" + namespace + "] is invalid, policy field must be set");
        }
        return new Definition(data, null);
    }
}
