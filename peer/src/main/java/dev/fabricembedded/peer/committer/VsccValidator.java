package dev.fabricembedded.peer.committer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.ledger.validation.NamespaceRwSet;
import dev.fabricembedded.orderer.channelconfig.ApplicationCapabilities;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.vscc.TxValidationResult;
import dev.fabricembedded.scc.vscc.ValidationExecutionException;
import dev.fabricembedded.scc.vscc.ValidationPlugin;
import dev.fabricembedded.scc.vscc.ValidationRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.HashedRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.CollectionHashedReadWriteSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * Fabric 1.4's {@code VSCCValidateTx} (fabric-1.4-flow.md §6.3): decides which namespaces of an endorser transaction
 * must be validated, and with which plugin and policy, then runs the plugins. The plugins themselves (endorsement
 * policy, LSCC write-set rules) live in {@code dev.fabricembedded.scc.vscc}; this class does everything around them:
 * <ol>
 *   <li>header extension ({@code BAD_HEADER_EXTENSION}), chaincode action ({@code BAD_RESPONSE_PAYLOAD}), read-write
 *   set ({@code BAD_RWSET}), chaincode id consistency ({@code INVALID_OTHER_REASON});</li>
 *   <li>with {@code V1_2Validation}, the invoked chaincode is always validated and its event must name it;</li>
 *   <li>a namespace twice in the read-write set: {@code ILLEGAL_WRITESET}; the written namespaces are collected;</li>
 *   <li>an application chaincode writing {@code lscc} or a non-invokable system chaincode: {@code ILLEGAL_WRITESET};
 *   each written namespace's definition is read from lscc state ({@code lscc's state for [ns] not found.} and
 *   incomplete definitions: {@code INVALID_OTHER_REASON}), the invoked one's version must be the committed one
 *   ({@code EXPIRED_CHAINCODE}), then its plugin runs with its policy;</li>
 *   <li>a system chaincode must be invokable externally ({@code ILLEGAL_WRITESET}) and is validated by {@code vscc}
 *   with {@code SignedByAnyMember} of the application organisations.</li>
 * </ol>
 * A plugin that is not registered, a plugin failing to run and a state read failure throw
 * {@link ValidationExecutionException}: the block must not be committed. Stateless and thread-safe.
 */
final class VsccValidator {

    private static final String LSCC = "lscc";
    private static final String DEFAULT_VSCC = "vscc";

    /**
     * The outcome, with what was parsed on the way (for the chaincode event, the upgrade pass and the ledger's
     * preparation of the block).
     *
     * @param rwsets the public read-write sets as the ledger reads them ({@link NamespaceRwSet}); empty when the
     *               read-write set was not reached or did not parse
     */
    record Outcome(TxValidationResult result, Optional<ChaincodeHeaderExtension> headerExtension,
                   Optional<ChaincodeAction> action, List<NamespaceRwSet> rwsets) {

        static Outcome invalid(TxValidationCode code, String message) {
            return new Outcome(TxValidationResult.invalid(code, message), Optional.empty(), Optional.empty(),
                    List.of());
        }
    }

    Outcome validate(EndorserTransactionParts tx, BlockContext context) {
        ChaincodeHeaderExtension extension;
        try {
            extension = ChaincodeHeaderExtension.parseFrom(tx.channelHeader().getExtension());
        } catch (InvalidProtocolBufferException e) {
            return Outcome.invalid(TxValidationCode.BAD_HEADER_EXTENSION,
                    "error unmarshaling ChaincodeHeaderExtension: " + e.getMessage());
        }
        ChaincodeAction action;
        try {
            if (tx.responsePayload().getExtension().isEmpty()) {
                return new Outcome(TxValidationResult.invalid(TxValidationCode.BAD_RESPONSE_PAYLOAD,
                        "GetActionFromEnvelope failed: response payload is missing extension"),
                        Optional.of(extension), Optional.empty(), List.of());
            }
            action = ChaincodeAction.parseFrom(tx.responsePayload().getExtension());
        } catch (InvalidProtocolBufferException e) {
            return new Outcome(TxValidationResult.invalid(TxValidationCode.BAD_RESPONSE_PAYLOAD,
                    "GetActionFromEnvelope failed: " + e.getMessage()), Optional.of(extension), Optional.empty(),
                    List.of());
        }
        List<WrittenNamespace> rwset;
        try {
            rwset = namespaces(action.getResults());
        } catch (InvalidProtocolBufferException e) {
            return new Outcome(TxValidationResult.invalid(TxValidationCode.BAD_RWSET,
                    "txRWSet.FromProtoBytes failed: " + e.getMessage()), Optional.of(extension), Optional.of(action),
                    List.of());
        }
        return new Outcome(validate(tx, context, extension, action, rwset), Optional.of(extension),
                Optional.of(action), rwset.stream().map(WrittenNamespace::rwset).toList());
    }

    private TxValidationResult validate(EndorserTransactionParts tx, BlockContext context,
                                        ChaincodeHeaderExtension extension, ChaincodeAction action,
                                        List<WrittenNamespace> rwset) {
        if (!extension.hasChaincodeId()) {
            return other("nil ChaincodeId in header extension");
        }
        if (!action.hasChaincodeId()) {
            return other("nil ChaincodeId in ChaincodeAction");
        }
        String ccId = extension.getChaincodeId().getName();
        String ccVersion = action.getChaincodeId().getVersion();
        if (ccId.isEmpty()) {
            return other("invalid chaincode ID");
        }
        if (!ccId.equals(action.getChaincodeId().getName())) {
            return other("inconsistent ccid info (" + ccId + "/" + action.getChaincodeId().getName() + ")");
        }
        if (ccVersion.isEmpty()) {
            return other("invalid chaincode version");
        }

        ApplicationCapabilities capabilities = context.channel().capabilities();
        SystemChaincodeProvider sysccs = context.systemChaincodes();
        boolean alwaysEnforceOriginalNamespace = capabilities.v1_2Validation();
        List<String> written = new ArrayList<>();
        if (alwaysEnforceOriginalNamespace) {
            written.add(ccId);
            if (!action.getEvents().isEmpty()) {
                ChaincodeEvent event;
                try {
                    event = ChaincodeEvent.parseFrom(action.getEvents());
                } catch (InvalidProtocolBufferException e) {
                    return other("invalid chaincode event: " + e.getMessage());
                }
                if (!event.getChaincodeId().equals(ccId)) {
                    return other("chaincode event chaincode id does not match chaincode action chaincode id");
                }
            }
        }
        boolean writesToLscc = false;
        boolean writesToNonInvokableScc = false;
        Set<String> seen = new HashSet<>();
        for (WrittenNamespace ns : rwset) {
            if (!seen.add(ns.name())) {
                return TxValidationResult.invalid(TxValidationCode.ILLEGAL_WRITESET,
                        "duplicate namespace '" + ns.name() + "' in txRWSet");
            }
            if (!ns.writes(capabilities)) {
                continue;
            }
            if (!ns.name().equals(ccId) || !alwaysEnforceOriginalNamespace) {
                written.add(ns.name());
            }
            writesToLscc |= ns.name().equals(LSCC);
            writesToNonInvokableScc |= sysccs.isSysCCAndNotInvokableCC2CC(ns.name())
                    || sysccs.isSysCCAndNotInvokableExternal(ns.name());
        }

        String channelId = tx.channelHeader().getChannelId();
        if (!sysccs.isSysCC(ccId)) {
            if (writesToLscc) {
                return TxValidationResult.invalid(TxValidationCode.ILLEGAL_WRITESET,
                        "chaincode " + ccId + " attempted to write to the namespace of LSCC");
            }
            if (writesToNonInvokableScc) {
                return TxValidationResult.invalid(TxValidationCode.ILLEGAL_WRITESET, "chaincode " + ccId
                        + " attempted to write to the namespace of a system chaincode that cannot be invoked");
            }
            for (String ns : written) {
                ChaincodeDefinitions.Definition definition = context.definitions().get(ns);
                if (definition.error() != null) {
                    return other(definition.error());
                }
                ChaincodeData data = definition.data();
                if (ns.equals(ccId) && !data.version().equals(ccVersion)) {
                    return TxValidationResult.invalid(TxValidationCode.EXPIRED_CHAINCODE,
                            "chaincode " + ccId + ":" + ccVersion + "/" + channelId + " didn't match "
                                    + data.name() + ":" + data.version() + "/" + channelId + " in lscc");
                }
                TxValidationResult result = runPlugin(data.vscc(), ns, data.policy(), tx, context);
                if (!result.isValid()) {
                    return result;
                }
            }
            return TxValidationResult.valid();
        }
        if (sysccs.isSysCCAndNotInvokableExternal(ccId)) {
            return TxValidationResult.invalid(TxValidationCode.ILLEGAL_WRITESET,
                    "committing an invocation of cc " + ccId + " is illegal");
        }
        return runPlugin(DEFAULT_VSCC, ccId, context.channel().systemChaincodePolicy(), tx, context);
    }

    private static TxValidationResult runPlugin(String pluginName, String namespace, ByteString policy,
                                                EndorserTransactionParts tx, BlockContext context) {
        ValidationPlugin plugin = context.plugins().require(pluginName);
        return plugin.validate(new ValidationRequest(tx.envelope(), namespace, policy, context.channel().view(),
                context.state(), tx.forValidation()));
    }

    private static TxValidationResult other(String message) {
        return TxValidationResult.invalid(TxValidationCode.INVALID_OTHER_REASON, message);
    }

    /**
     * One namespace of the read-write set, what kinds of writes it holds, and its public set as the ledger reads it
     * (kept so that the ledger does not parse it again).
     */
    private record WrittenNamespace(String name, boolean publicWrites, boolean metadataWrites,
                                    boolean collectionWrites, boolean collectionMetadataWrites,
                                    NamespaceRwSet rwset) {

        /** Fabric's {@code txWritesToNamespace}: which writes count depends on the capabilities. */
        boolean writes(ApplicationCapabilities capabilities) {
            if (publicWrites) {
                return true;
            }
            if (capabilities.privateChannelData()
                    && (collectionWrites || (capabilities.keyLevelEndorsement() && collectionMetadataWrites))) {
                return true;
            }
            return capabilities.keyLevelEndorsement() && metadataWrites;
        }
    }

    /** Fabric's {@code TxRwSet.FromProtoBytes}: every namespace and collection set must parse. */
    private static List<WrittenNamespace> namespaces(ByteString results) throws InvalidProtocolBufferException {
        TxReadWriteSet set = TxReadWriteSet.parseFrom(results);
        List<WrittenNamespace> namespaces = new ArrayList<>(set.getNsRwsetCount());
        for (NsReadWriteSet ns : set.getNsRwsetList()) {
            KVRWSet kv = KVRWSet.parseFrom(ns.getRwset());
            boolean collectionWrites = false;
            boolean collectionMetadataWrites = false;
            for (CollectionHashedReadWriteSet collection : ns.getCollectionHashedRwsetList()) {
                HashedRWSet hashed = HashedRWSet.parseFrom(collection.getHashedRwset());
                collectionWrites |= hashed.getHashedWritesCount() > 0;
                collectionMetadataWrites |= hashed.getMetadataWritesCount() > 0;
            }
            namespaces.add(new WrittenNamespace(ns.getNamespace(), kv.getWritesCount() > 0,
                    kv.getMetadataWritesCount() > 0, collectionWrites, collectionMetadataWrites,
                    new NamespaceRwSet(ns.getNamespace(), kv)));
        }
        return namespaces;
    }
}
