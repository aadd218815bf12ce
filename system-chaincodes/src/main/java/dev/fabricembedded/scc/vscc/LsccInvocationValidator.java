package dev.fabricembedded.scc.vscc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fabricembedded.msp.policy.CompiledSignaturePolicy;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.msp.policy.PolicyResult;
import dev.fabricembedded.msp.policy.SignedData;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodeNames;
import dev.fabricembedded.scc.ccprovider.InvalidChaincodeException;
import dev.fabricembedded.scc.ccprovider.JavaCodePackage;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ChannelView;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;

/**
 * The write-set rules of an LSCC deploy or upgrade transaction (Fabric 1.4 {@code ValidateLSCCInvocation} and
 * {@code validateRWSetAndCollection}, §6.5 of the reference), run by {@link DefaultValidation} after the endorsement
 * policy for namespace {@code lscc}. They make a deploy/upgrade valid only if the lscc write set is exactly what an
 * honest LSCC would have produced for the arguments in the transaction: a definition under the chaincode's own name,
 * with its name and version, writing no other namespace than {@code lscc} and the chaincode's, not redeploying an
 * existing chaincode, and signed by a client satisfying the instantiation policy.
 *
 * <p>Every failure is {@code ENDORSEMENT_POLICY_FAILURE} with Fabric's text; reading the committed lscc state may
 * throw {@link ValidationExecutionException}, which aborts the block. Stateless and thread-safe.
 */
public final class LsccInvocationValidator {

    /** The lscc namespace. */
    public static final String LSCC = "lscc";

    private static final String COLLECTION_SUFFIX = "~collection";

    /**
     * Validates an lscc transaction (the endorsement policy is not checked here).
     *
     * @throws ValidationExecutionException when the committed state cannot be read or is corrupt
     */
    public TxValidationResult validate(Envelope envelope, ChannelView channel, StateReader state) {
        try {
            return validate(EndorserTransaction.parse(envelope), channel, state);
        } catch (EndorserTransaction.InvalidTransactionException e) {
            return TxValidationResult.policyFailure(e.getMessage());
        }
    }

    TxValidationResult validate(EndorserTransaction tx, ChannelView channel, StateReader state) {
        try {
            check(tx, channel, state);
            return TxValidationResult.valid();
        } catch (PolicyError e) {
            return TxValidationResult.policyFailure(e.getMessage());
        }
    }

    private void check(EndorserTransaction tx, ChannelView channel, StateReader state) throws PolicyError {
        ChannelCapabilities capabilities = channel.capabilities();
        ChaincodeActionPayload cap = tx.actionPayload();
        ChaincodeInvocationSpec cis;
        try {
            ChaincodeProposalPayload cpp = ChaincodeProposalPayload.parseFrom(cap.getChaincodeProposalPayload());
            cis = ChaincodeInvocationSpec.parseFrom(cpp.getInput());
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError(e.getMessage());
        }
        if (!cis.hasChaincodeSpec() || !cis.getChaincodeSpec().hasInput()
                || cis.getChaincodeSpec().getInput().getArgsCount() == 0) {
            throw new PolicyError("malformed chaincode inocation spec");
        }
        List<ByteString> args = cis.getChaincodeSpec().getInput().getArgsList();
        String function = args.get(0).toStringUtf8();
        List<ByteString> lsccArgs = args.subList(1, args.size());
        if (!function.equals("deploy") && !function.equals("upgrade")) {
            throw new PolicyError("VSCC error: committing an invocation of function " + function
                    + " of lscc is invalid");
        }
        if (lsccArgs.size() < 2) {
            throw new PolicyError("Wrong number of arguments for invocation lscc(" + function
                    + "): expected at least 2, received " + lsccArgs.size());
        }
        if ((!capabilities.privateChannelData() && lsccArgs.size() > 5)
                || (capabilities.privateChannelData() && lsccArgs.size() > 6)) {
            throw new PolicyError("Wrong number of arguments for invocation lscc(" + function + "): received "
                    + lsccArgs.size());
        }
        ChaincodeDeploymentSpec cds = deploymentSpec(lsccArgs.get(1));
        if (!cds.hasChaincodeSpec() || !cds.getChaincodeSpec().hasChaincodeId() || !cap.hasAction()
                || cap.getAction().getProposalResponsePayload().isEmpty()) {
            throw new PolicyError("VSCC error: invocation of lscc(" + function + ") does not have appropriate "
                    + "arguments");
        }
        String name = cds.getChaincodeSpec().getChaincodeId().getName();
        String version = cds.getChaincodeSpec().getChaincodeId().getVersion();
        if (!ChaincodeNames.isValidName(name)) {
            throw new PolicyError("invalid chaincode name '" + name + "'");
        }
        if (ChaincodeNames.SYSTEM_CHAINCODE_NAMES.contains(name)) {
            throw new PolicyError("chaincode name '" + name + "' is reserved for system chaincodes");
        }
        if (!ChaincodeNames.isValidVersion(version)) {
            throw new PolicyError("invalid chaincode version '" + version + "'");
        }

        TxReadWriteSet rwset = readWriteSet(cap);
        KVRWSet lsccRwSet = null;
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            if (ns.getNamespace().equals(LSCC)) {
                lsccRwSet = kvRwSet(ns);
                break;
            }
        }
        Optional<ChaincodeData> onLedger = instantiated(name, state);

        // security check 0: the write set
        if (lsccRwSet == null) {
            throw new PolicyError("No read write set for lscc was found");
        }
        if (lsccRwSet.getWritesCount() < 1) {
            throw new PolicyError("LSCC must issue at least one single putState upon deploy/upgrade");
        }
        KVWrite first = lsccRwSet.getWrites(0);
        if (!first.getKey().equals(name)) {
            throw new PolicyError("expected key " + name + ", found " + first.getKey());
        }
        ChaincodeData written;
        try {
            written = ChaincodeData.parse(first.getValue());
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("unmarhsalling of ChaincodeData failed, error " + e.getMessage());
        }
        if (!written.name().equals(name)) {
            throw new PolicyError("expected cc name " + name + ", found " + written.name());
        }
        if (!written.version().equals(version)) {
            throw new PolicyError("expected cc version " + version + ", found " + written.version());
        }
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            if (!ns.getNamespace().equals(LSCC) && !ns.getNamespace().equals(written.name())
                    && kvRwSet(ns).getWritesCount() > 0) {
                throw new PolicyError("LSCC invocation is attempting to write to namespace " + ns.getNamespace());
            }
        }

        if (function.equals("deploy")) {
            if (onLedger.isPresent()) {
                throw new PolicyError("Chaincode " + name + " is already instantiated");
            }
            if (capabilities.privateChannelData()) {
                checkCollections(lsccRwSet, written, lsccArgs, true, capabilities, state);
            } else if (lsccRwSet.getWritesCount() != 1) {
                throw new PolicyError("LSCC can only issue a single putState upon deploy");
            }
            if (written.instantiationPolicy().isEmpty()) {
                throw new PolicyError("no instantiation policy was specified");
            }
            checkInstantiationPolicy(written.instantiationPolicy(), tx, channel);
        } else {
            if (onLedger.isEmpty()) {
                throw new PolicyError("Upgrading non-existent chaincode " + name);
            }
            if (onLedger.get().version().equals(version)) {
                throw new PolicyError("Existing version of the cc on the ledger (" + version
                        + ") should be different from the upgraded one");
            }
            if (capabilities.v1_2Validation()) {
                checkCollections(lsccRwSet, written, lsccArgs, false, capabilities, state);
            } else if (lsccRwSet.getWritesCount() != 1) {
                throw new PolicyError("LSCC can only issue a single putState upon upgrade");
            }
            ByteString ledgerPolicy = onLedger.get().instantiationPolicy();
            if (ledgerPolicy.isEmpty()) {
                throw new PolicyError("No instantiation policy was specified");
            }
            checkInstantiationPolicy(ledgerPolicy, tx, channel);
            if (capabilities.v1_1Validation()) {
                ByteString newPolicy = written.instantiationPolicy();
                if (newPolicy.isEmpty()) {
                    throw new PolicyError("No instantiation policy was specified");
                }
                if (!newPolicy.equals(ledgerPolicy)) {
                    checkInstantiationPolicy(newPolicy, tx, channel);
                }
            }
        }
    }

    /** Fabric's {@code GetChaincodeDeploymentSpec}: parse, then the platform's checks (JAVA: see {@link JavaCodePackage}). */
    private static ChaincodeDeploymentSpec deploymentSpec(ByteString bytes) throws PolicyError {
        ChaincodeDeploymentSpec cds;
        try {
            cds = ChaincodeDeploymentSpec.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("GetChaincodeDeploymentSpec error " + e.getMessage());
        }
        ChaincodeSpec.Type type = cds.getChaincodeSpec().getType();
        switch (type) {
            case GOLANG, NODE, CAR -> {
            }
            case JAVA -> {
                if (!cds.getCodePackage().isEmpty()) {
                    try {
                        JavaCodePackage.validate(cds.getCodePackage());
                    } catch (InvalidChaincodeException e) {
                        throw new PolicyError("GetChaincodeDeploymentSpec error " + e.getMessage());
                    }
                }
            }
            default -> throw new PolicyError("GetChaincodeDeploymentSpec error Unknown chaincodeType: " + type);
        }
        return cds;
    }

    private static TxReadWriteSet readWriteSet(ChaincodeActionPayload cap) throws PolicyError {
        ProposalResponsePayload prp;
        try {
            prp = ProposalResponsePayload.parseFrom(cap.getAction().getProposalResponsePayload());
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("GetProposalResponsePayload error " + e.getMessage());
        }
        if (prp.getExtension().isEmpty()) {
            throw new PolicyError("nil pRespPayload.Extension");
        }
        ChaincodeAction action;
        try {
            action = ChaincodeAction.parseFrom(prp.getExtension());
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("GetChaincodeAction error " + e.getMessage());
        }
        try {
            return TxReadWriteSet.parseFrom(action.getResults());
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("txRWSet.FromProtoBytes error " + e.getMessage());
        }
    }

    private static KVRWSet kvRwSet(NsReadWriteSet ns) throws PolicyError {
        try {
            return KVRWSet.parseFrom(ns.getRwset());
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("txRWSet.FromProtoBytes error " + e.getMessage());
        }
    }

    /** The committed definition of a chaincode; a corrupt one is an execution failure, as in Fabric. */
    private static Optional<ChaincodeData> instantiated(String name, StateReader state) {
        byte[] bytes = state.getState(LSCC, name);
        if (bytes == null || bytes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(ChaincodeData.parse(ByteString.copyFrom(bytes)));
        } catch (InvalidProtocolBufferException e) {
            throw new ValidationExecutionException("unmarshalling ChaincodeQueryResponse failed, error "
                    + e.getMessage(), e);
        }
    }

    /** The instantiation policy against the envelope's signature: the client's, not the proposal's. */
    private static void checkInstantiationPolicy(ByteString policyBytes, EndorserTransaction tx, ChannelView channel)
            throws PolicyError {
        CompiledSignaturePolicy policy;
        SignatureHeader signatureHeader;
        try {
            policy = CompiledSignaturePolicy.compile(policyBytes, channel.deserializer());
            signatureHeader = SignatureHeader.parseFrom(tx.payload().getHeader().getSignatureHeader());
        } catch (InvalidPolicyException | InvalidProtocolBufferException e) {
            throw new PolicyError(e.getMessage());
        }
        Envelope envelope = tx.envelope();
        PolicyResult result = policy.evaluate(List.of(new SignedData(envelope.getPayload(),
                signatureHeader.getCreator(), envelope.getSignature())));
        if (!result.isSatisfied()) {
            throw new PolicyError("chaincode instantiation policy violated, error " + result.message());
        }
    }

    private static void checkCollections(KVRWSet lsccRwSet, ChaincodeData written, List<ByteString> lsccArgs,
                                         boolean deploy, ChannelCapabilities capabilities, StateReader state)
            throws PolicyError {
        String id = written.name() + ":" + written.version();
        if (lsccRwSet.getWritesCount() > 2) {
            throw new PolicyError("LSCC can only issue one or two putState upon deploy");
        }
        ByteString argument = lsccArgs.size() > 5 ? lsccArgs.get(5) : null;
        ByteString inWriteSet = null;
        if (lsccRwSet.getWritesCount() == 2) {
            String key = written.name() + COLLECTION_SUFFIX;
            KVWrite second = lsccRwSet.getWrites(1);
            if (!second.getKey().equals(key)) {
                throw new PolicyError("invalid key for the collection of chaincode " + id + "; expected '" + key
                        + "', received '" + second.getKey() + "'");
            }
            inWriteSet = second.getValue();
        }
        ByteString a = argument == null ? ByteString.EMPTY : argument;
        ByteString w = inWriteSet == null ? ByteString.EMPTY : inWriteSet;
        if (!a.equals(w)) {
            throw new PolicyError("collection configuration arguments supplied for chaincode " + id
                    + " do not match the configuration in the lscc writeset");
        }
        Optional<CollectionConfigPackage> existing = committedCollections(written, state);
        if (deploy && existing.isPresent()) {
            throw new PolicyError("collection data should not exist for chaincode " + id);
        }
        if (argument == null) {
            return;
        }
        CollectionConfigPackage collections;
        try {
            collections = CollectionConfigPackage.parseFrom(argument);
        } catch (InvalidProtocolBufferException e) {
            throw new PolicyError("invalid collection configuration supplied for chaincode " + id);
        }
        if (capabilities.v1_2Validation()) {
            String problem = CollectionRules.validateNew(collections.getConfigList());
            if (problem == null && !deploy && existing.isPresent()) {
                problem = CollectionRules.validateAgainstOld(collections.getConfigList(),
                        existing.get().getConfigList());
            }
            if (problem != null) {
                throw new PolicyError(problem);
            }
        }
    }

    private static Optional<CollectionConfigPackage> committedCollections(ChaincodeData written, StateReader state) {
        byte[] bytes = state.getState(LSCC, written.name() + COLLECTION_SUFFIX);
        if (bytes == null || bytes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(CollectionConfigPackage.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw new ValidationExecutionException("unable to check whether collection existed earlier for chaincode "
                    + written.name() + ":" + written.version() + ": " + e.getMessage(), e);
        }
    }

    /** A policy error inside the checks; becomes {@code ENDORSEMENT_POLICY_FAILURE}. */
    private static final class PolicyError extends Exception {
        private static final long serialVersionUID = 1L;

        PolicyError(String message) {
            super(message, null, false, false);
        }
    }
}
