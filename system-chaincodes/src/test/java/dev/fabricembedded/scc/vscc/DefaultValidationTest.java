package dev.fabricembedded.scc.vscc;

import static dev.fabricembedded.scc.fixtures.TestNetwork.CHANNEL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.policy.InvalidPolicyException;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.channel.ChannelView;
import dev.fabricembedded.scc.fixtures.TestNetwork;
import dev.fabricembedded.scc.fixtures.TestNetwork.Invocation;
import dev.fabricembedded.scc.fixtures.TestNetwork.Orgs;
import dev.fabricembedded.scc.fixtures.TestPackages;
import dev.fabricembedded.scc.fixtures.TestProposals;
import dev.fabricembedded.scc.lscc.Lscc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.hyperledger.fabric.protos.peer.CollectionConfig;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.CollectionPolicyConfig;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.StaticCollectionConfig;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultValidationTest {

    private static final ByteString LSCC_POLICY =
            SignaturePolicies.signedByAnyMember(List.of("Org1MSP", "Org2MSP")).toByteString();

    @TempDir
    Path dir;

    private TestNetwork net;
    private Lscc lscc;
    private final DefaultValidation vscc = new DefaultValidation();

    @BeforeEach
    void setUp() {
        net = new TestNetwork(dir, ChannelCapabilities.v1_3());
        lscc = Lscc.builder().packageStore(net.packages()).channels(net.channels()).localMsp(Orgs.org1().msp())
                .build();
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    // ---- helpers ----

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static List<byte[]> lifecycleArgs(String fn, ChaincodeDeploymentSpec cds, byte[]... optional) {
        List<byte[]> args = new ArrayList<>(List.of(b(fn), b(CHANNEL), cds.toBuilder().clearCodePackage().build()
                .toByteArray()));
        args.addAll(List.of(optional));
        return args;
    }

    /** An honest LSCC invocation by {@code creator} (who must pass LSCC's own checks). */
    private Invocation lsccCall(SigningIdentity creator, List<byte[]> args) {
        Invocation inv = net.invoke(lscc, "lscc", creator, CHANNEL, args);
        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        return inv;
    }

    private Invocation deploy(String name, String version) {
        net.packages().install(TestPackages.cds(name, version).toByteString());
        return lsccCall(TestNetwork.admin1(), lifecycleArgs("deploy", TestPackages.cds(name, version)));
    }

    private TxValidationResult validate(Envelope env, String namespace, ByteString policy) {
        return vscc.validate(new ValidationRequest(env, namespace, policy, net.view(), StateReader.of(net.ledger())));
    }

    private TxValidationResult validateLscc(Invocation inv, SigningIdentity creator) throws Exception {
        return validate(net.transaction(inv, "lscc", creator, TestNetwork.peer1()), "lscc", LSCC_POLICY);
    }

    /** The same invocation with its read-write set rewritten (as a malicious endorser could). */
    private static Invocation forge(Invocation inv, UnaryOperator<TxReadWriteSet.Builder> edit) throws Exception {
        TxReadWriteSet forged = edit.apply(TxReadWriteSet.parseFrom(inv.results()).toBuilder()).build();
        return new Invocation(inv.proposal(), inv.response(), forged.toByteString(), inv.event());
    }

    private static UnaryOperator<TxReadWriteSet.Builder> editLscc(UnaryOperator<KVRWSet.Builder> edit) {
        return rw -> {
            for (int i = 0; i < rw.getNsRwsetCount(); i++) {
                NsReadWriteSet ns = rw.getNsRwset(i);
                if (ns.getNamespace().equals("lscc")) {
                    try {
                        KVRWSet kv = edit.apply(KVRWSet.parseFrom(ns.getRwset()).toBuilder()).build();
                        rw.setNsRwset(i, ns.toBuilder().setRwset(kv.toByteString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return rw;
        };
    }

    private static void assertPolicyFailure(TxValidationResult result, String message) {
        assertThat(result.code()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(result.message()).isEqualTo(message);
    }

    // ---- endorsement policy ----

    @Test
    void anHonestDeployIsValid() throws Exception {
        Invocation inv = deploy("mycc", "1.0");
        assertThat(validateLscc(inv, TestNetwork.admin1())).isEqualTo(TxValidationResult.valid());
    }

    @Test
    void duplicatedEndorsementsFromOneIdentityDoNotSatisfyATwoOfPolicy() throws Exception {
        Invocation inv = deploy("mycc", "1.0");
        ByteString twoOfOrg1 = PolicyDsl.parse("OutOf(2, 'Org1MSP.member', 'Org1MSP.member')").toByteString();
        SigningIdentity peer = TestNetwork.peer1();

        Envelope twice = net.transaction(inv, "lscc", TestNetwork.admin1(), peer, peer);
        assertPolicyFailure(validate(twice, "mycc", twoOfOrg1), DefaultValidation.DUPLICATED_IDENTITY_ERROR);

        Envelope twoIdentities = net.transaction(inv, "lscc", TestNetwork.admin1(), peer,
                Orgs.org1().signer(NodeRole.CLIENT));
        assertThat(validate(twoIdentities, "mycc", twoOfOrg1).isValid()).isTrue();

        ByteString bothOrgs = PolicyDsl.parse("AND('Org1MSP.member', 'Org2MSP.member')").toByteString();
        assertPolicyFailure(validate(net.transaction(inv, "lscc", TestNetwork.admin1(), peer), "mycc", bothOrgs),
                "VSCC error: endorsement policy failure, err: signature set did not satisfy policy");
        assertThat(validate(net.transaction(inv, "lscc", TestNetwork.admin1(), peer,
                Orgs.org2().signer(NodeRole.PEER)), "mycc", bothOrgs).isValid()).isTrue();
    }

    @Test
    void aTamperedEndorsementSignatureFailsThePolicy() throws Exception {
        Invocation inv = deploy("mycc", "1.0");
        Envelope env = net.transaction(inv, "lscc", TestNetwork.admin1(), TestNetwork.peer1());
        Payload payload = Payload.parseFrom(env.getPayload());
        Transaction tx = Transaction.parseFrom(payload.getData());
        ChaincodeActionPayload cap = ChaincodeActionPayload.parseFrom(tx.getActions(0).getPayload());
        Endorsement e = cap.getAction().getEndorsements(0);
        byte[] sig = e.getSignature().toByteArray();
        sig[sig.length - 1] ^= 1;
        ChaincodeEndorsedAction action = cap.getAction().toBuilder()
                .setEndorsements(0, e.toBuilder().setSignature(ByteString.copyFrom(sig))).build();
        Transaction forgedTx = tx.toBuilder().setActions(0, tx.getActions(0).toBuilder()
                .setPayload(cap.toBuilder().setAction(action).build().toByteString())).build();
        Envelope forged = env.toBuilder().setPayload(payload.toBuilder().setData(forgedTx.toByteString()).build()
                .toByteString()).build();

        assertPolicyFailure(validate(forged, "lscc", LSCC_POLICY),
                "VSCC error: endorsement policy failure, err: signature set did not satisfy policy");
    }

    @Test
    void onlyEndorserTransactionsAndCompilablePoliciesAreAccepted() throws Exception {
        Envelope config = Envelope.parseFrom(TestPackages.envelope(HeaderType.CONFIG, ByteString.EMPTY,
                TestNetwork.admin1()));
        assertPolicyFailure(validate(config, "mycc", LSCC_POLICY),
                "Only Endorser Transactions are supported, provided type 1");
        Invocation inv = deploy("mycc", "1.0");
        TxValidationResult bad = validate(net.transaction(inv, "lscc", TestNetwork.admin1(), TestNetwork.peer1()),
                "mycc", ByteString.copyFromUtf8("not a policy"));
        assertThat(bad.code()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(bad.message()).startsWith("Error unmarshaling to SignaturePolicy: ");
    }

    @Test
    void aCallersParseOfTheEnvelopeGivesTheOutcomeOfThePluginsOwnParse() throws Exception {
        Invocation inv = deploy("mycc", "1.0");
        ByteString twoOfOrg1 = PolicyDsl.parse("OutOf(2, 'Org1MSP.member', 'Org1MSP.member')").toByteString();
        SigningIdentity peer = TestNetwork.peer1();
        Envelope honest = net.transaction(inv, "lscc", TestNetwork.admin1(), peer);
        Envelope twice = net.transaction(inv, "lscc", TestNetwork.admin1(), peer, peer);
        List<ValidationRequest> requests = List.of(
                new ValidationRequest(honest, "lscc", LSCC_POLICY, net.view(), StateReader.of(net.ledger())),
                new ValidationRequest(honest, "mycc", twoOfOrg1, net.view(), StateReader.of(net.ledger())),
                new ValidationRequest(twice, "mycc", twoOfOrg1, net.view(), StateReader.of(net.ledger())));

        for (ValidationRequest request : requests) {
            ValidationRequest preParsed = new ValidationRequest(request.envelope(), request.namespace(),
                    request.policy(), request.channel(), request.state(),
                    EndorserTransaction.parse(request.envelope()));
            assertThat(vscc.validate(preParsed)).isEqualTo(vscc.validate(request));
        }
        assertThat(vscc.validate(requests.get(0)).isValid()).isTrue();
        assertPolicyFailure(vscc.validate(requests.get(2)), DefaultValidation.DUPLICATED_IDENTITY_ERROR);
        assertThatThrownBy(() -> new ValidationRequest(honest, "mycc", LSCC_POLICY, net.view(),
                StateReader.of(net.ledger()), EndorserTransaction.parse(twice)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the parsed transaction is not the envelope's");
    }

    @Test
    void aViewCompilesEachPolicyOnceAndAConfigurationUpdateStartsAfresh() {
        ByteString policy = PolicyDsl.parse("AND('Org1MSP.member','Org2MSP.member')").toByteString();
        ChannelView before = net.view();

        assertThat(before.endorsementPolicy(ByteString.copyFrom(policy.toByteArray())))
                .isSameAs(before.endorsementPolicy(policy));
        assertThat(before.endorsementPolicy(LSCC_POLICY)).isNotSameAs(before.endorsementPolicy(policy));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> before.endorsementPolicy(ByteString.copyFromUtf8("not a policy")))
                    .isInstanceOf(InvalidPolicyException.class)
                    .hasMessageStartingWith("Error unmarshaling to SignaturePolicy: ");
        }
        net.capabilities(ChannelCapabilities.v1_3());
        assertThat(net.view()).isNotSameAs(before);
        assertThat(net.view().endorsementPolicy(policy)).isNotSameAs(before.endorsementPolicy(policy));
    }

    // ---- LSCC write-set rules ----

    @Test
    void forgedWriteSetWithTheWrongKeyIsRejected() throws Exception {
        Invocation forged = forge(deploy("mycc", "1.0"),
                editLscc(kv -> kv.setWrites(0, kv.getWrites(0).toBuilder().setKey("other"))));
        assertPolicyFailure(validateLscc(forged, TestNetwork.admin1()), "expected key mycc, found other");
    }

    @Test
    void forgedWriteSetWithAnExtraNamespaceIsRejected() throws Exception {
        Invocation forged = forge(deploy("mycc", "1.0"), rw -> rw.addNsRwset(NsReadWriteSet.newBuilder()
                .setNamespace("zzz").setRwset(KVRWSet.newBuilder().addWrites(KVWrite.newBuilder().setKey("k")
                        .setValue(ByteString.copyFromUtf8("v"))).build().toByteString())));
        assertPolicyFailure(validateLscc(forged, TestNetwork.admin1()),
                "LSCC invocation is attempting to write to namespace zzz");
    }

    @Test
    void forgedDefinitionWithAnotherNameOrVersionIsRejected() throws Exception {
        Invocation inv = deploy("mycc", "1.0");
        ChaincodeData honest = ChaincodeData.parse(ByteString.copyFrom(inv.response().payload()));
        ChaincodeData renamed = new ChaincodeData("evil", honest.version(), honest.escc(), honest.vscc(),
                honest.policy(), honest.data(), honest.id(), honest.instantiationPolicy());
        assertPolicyFailure(validateLscc(forge(inv, editLscc(kv -> kv.setWrites(0, kv.getWrites(0).toBuilder()
                .setValue(renamed.toByteString())))), TestNetwork.admin1()), "expected cc name mycc, found evil");
        ChaincodeData reversioned = new ChaincodeData("mycc", "9.9", honest.escc(), honest.vscc(),
                honest.policy(), honest.data(), honest.id(), honest.instantiationPolicy());
        assertPolicyFailure(validateLscc(forge(inv, editLscc(kv -> kv.setWrites(0, kv.getWrites(0).toBuilder()
                .setValue(reversioned.toByteString())))), TestNetwork.admin1()), "expected cc version 1.0, found 9.9");
    }

    @Test
    void missingOrExtraLsccWritesAreRejected() throws Exception {
        Invocation inv = deploy("mycc", "1.0");
        assertPolicyFailure(validateLscc(forge(inv, editLscc(KVRWSet.Builder::clearWrites)), TestNetwork.admin1()),
                "LSCC must issue at least one single putState upon deploy/upgrade");
        assertPolicyFailure(validateLscc(forge(inv, rw -> rw.clearNsRwset()), TestNetwork.admin1()),
                "No read write set for lscc was found");
        net.capabilities(ChannelCapabilities.v1_1());
        assertPolicyFailure(validateLscc(forge(inv, editLscc(kv -> kv.addWrites(KVWrite.newBuilder()
                .setKey("mycc~collection").setValue(ByteString.copyFromUtf8("x"))))), TestNetwork.admin1()),
                "LSCC can only issue a single putState upon deploy");
    }

    @Test
    void deployOfAnAlreadyInstantiatedChaincodeIsRejected() throws Exception {
        Invocation first = deploy("mycc", "1.0");
        Invocation second = lsccCall(TestNetwork.admin1(), lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0")));
        net.commit(List.of(net.transaction(first, "lscc", TestNetwork.admin1(), TestNetwork.peer1())));

        assertPolicyFailure(validateLscc(second, TestNetwork.admin1()), "Chaincode mycc is already instantiated");
    }

    @Test
    void deployWhoseClientDoesNotSatisfyTheInstantiationPolicyIsRejected() throws Exception {
        net.packages().install(TestPackages.cds("mycc", "1.0").toByteString());
        // LSCC refuses a client (not an admin); a malicious endorser endorses the admin's write set anyway for a
        // proposal whose creator, and so the envelope signer, is the client.
        Invocation byAdmin = lsccCall(TestNetwork.admin1(), lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0")));
        Invocation byClient = net.invoke(lscc, "lscc", TestNetwork.client1(), CHANNEL,
                lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0")));
        assertThat(byClient.response().status()).isEqualTo(500);
        Invocation forged = new Invocation(byClient.proposal(), byAdmin.response(), byAdmin.results(),
                byAdmin.event());

        assertPolicyFailure(validateLscc(forged, TestNetwork.client1()),
                "chaincode instantiation policy violated, error signature set did not satisfy policy");
    }

    @Test
    void upgradeRules() throws Exception {
        Invocation deploy = deploy("mycc", "1.0");
        net.commit(List.of(net.transaction(deploy, "lscc", TestNetwork.admin1(), TestNetwork.peer1())));
        net.packages().install(TestPackages.cds("mycc", "2.0").toByteString());
        Invocation upgrade = lsccCall(TestNetwork.admin1(), lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0")));
        assertThat(validateLscc(upgrade, TestNetwork.admin1()).isValid()).isTrue();

        // against a state without the chaincode (an empty channel) the same upgrade is rejected
        Envelope env = net.transaction(upgrade, "lscc", TestNetwork.admin1(), TestNetwork.peer1());
        StateReader emptyChannel = (ns, key) -> null;
        assertPolicyFailure(vscc.validate(new ValidationRequest(env, "lscc", LSCC_POLICY, net.view(), emptyChannel)),
                "Upgrading non-existent chaincode mycc");

        // an upgrade to the version already on the ledger
        ChaincodeData honest = ChaincodeData.parse(ByteString.copyFrom(upgrade.response().payload()));
        TestProposals.Built sameVersionProposal = TestProposals.proposal(TestNetwork.admin1(), CHANNEL, "lscc",
                lifecycleArgs("upgrade", TestPackages.cds("mycc", "1.0")).stream().map(ByteString::copyFrom)
                        .toList(), java.util.Map.of());
        ChaincodeData v1 = new ChaincodeData("mycc", "1.0", honest.escc(), honest.vscc(), honest.policy(),
                honest.data(), honest.id(), honest.instantiationPolicy());
        Invocation sameVersion = forge(new Invocation(sameVersionProposal, upgrade.response(), upgrade.results(),
                upgrade.event()), editLscc(kv -> kv.setWrites(0, kv.getWrites(0).toBuilder()
                .setValue(v1.toByteString()))));
        assertPolicyFailure(validateLscc(sameVersion, TestNetwork.admin1()),
                "Existing version of the cc on the ledger (1.0) should be different from the upgraded one");
        // the committed instantiation policy binds the envelope signer
        TestProposals.Built clientProposal = TestProposals.proposal(TestNetwork.client1(), CHANNEL, "lscc",
                lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0")).stream().map(ByteString::copyFrom)
                        .toList(), java.util.Map.of());
        assertPolicyFailure(validateLscc(new Invocation(clientProposal, upgrade.response(), upgrade.results(),
                upgrade.event()), TestNetwork.client1()),
                "chaincode instantiation policy violated, error signature set did not satisfy policy");
    }

    @Test
    void nonLifecycleFunctionsAndBadDeploymentSpecsAreRejected() throws Exception {
        Invocation install = net.invoke(lscc, "lscc", TestNetwork.admin1(), CHANNEL,
                List.of(b("getchaincodes")));
        assertPolicyFailure(validateLscc(install, TestNetwork.admin1()),
                "VSCC error: committing an invocation of function getchaincodes of lscc is invalid");
        Invocation inv = deploy("mycc", "1.0");
        TestProposals.Built shortArgs = TestProposals.proposal(TestNetwork.admin1(), CHANNEL, "lscc", "deploy",
                CHANNEL);
        assertPolicyFailure(validateLscc(new Invocation(shortArgs, inv.response(), inv.results(), inv.event()),
                TestNetwork.admin1()), "Wrong number of arguments for invocation lscc(deploy): expected at least 2, "
                + "received 1");
        for (String reserved : List.of("lscc", "qscc")) {
            TestProposals.Built sys = TestProposals.proposal(TestNetwork.admin1(), CHANNEL, "lscc",
                    lifecycleArgs("deploy", TestPackages.cds(reserved, "1.0")).stream().map(ByteString::copyFrom)
                            .toList(), java.util.Map.of());
            assertPolicyFailure(validateLscc(new Invocation(sys, inv.response(), inv.results(), inv.event()),
                    TestNetwork.admin1()), "chaincode name '" + reserved + "' is reserved for system chaincodes");
        }
    }

    @Test
    void collectionArgumentMustMatchTheWriteSetAndFollowTheV12Rules() throws Exception {
        net.packages().install(TestPackages.cds("mycc", "1.0").toByteString());
        CollectionConfigPackage good = collections("coll", "OR('Org1MSP.member','Org2MSP.member')");
        Invocation inv = lsccCall(TestNetwork.admin1(), lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], new byte[0], new byte[0], good.toByteArray()));
        assertThat(validateLscc(inv, TestNetwork.admin1()).isValid()).isTrue();

        Invocation mismatched = forge(inv, editLscc(kv -> kv.setWrites(1, kv.getWrites(1).toBuilder()
                .setValue(collections("other", "OR('Org1MSP.member')").toByteString()))));
        assertPolicyFailure(validateLscc(mismatched, TestNetwork.admin1()), "collection configuration arguments "
                + "supplied for chaincode mycc:1.0 do not match the configuration in the lscc writeset");

        CollectionConfigPackage andPolicy = collections("coll", "AND('Org1MSP.member','Org2MSP.member')");
        Invocation withAnd = lsccCall(TestNetwork.admin1(), lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], new byte[0], new byte[0], andPolicy.toByteArray()));
        assertPolicyFailure(validateLscc(withAnd, TestNetwork.admin1()), "collection-name: coll -- error in member "
                + "org policy: signature policy is not an OR concatenation, NOutOf 2");
    }

    private static CollectionConfigPackage collections(String name, String memberPolicy) {
        return CollectionConfigPackage.newBuilder().addConfig(CollectionConfig.newBuilder()
                .setStaticCollectionConfig(StaticCollectionConfig.newBuilder().setName(name)
                        .setMemberOrgsPolicy(CollectionPolicyConfig.newBuilder()
                                .setSignaturePolicy(PolicyDsl.parse(memberPolicy)))
                        .setRequiredPeerCount(0).setMaximumPeerCount(2))).build();
    }

    // ---- execution failures and registry ----

    @Test
    void stateReadFailuresAndCorruptDefinitionsAbortInsteadOfInvalidating() throws Exception {
        Envelope env = net.transaction(deploy("mycc", "1.0"), "lscc", TestNetwork.admin1(), TestNetwork.peer1());
        StateReader broken = (ns, key) -> {
            throw new ValidationExecutionException("disk on fire");
        };
        assertThatThrownBy(() -> vscc.validate(new ValidationRequest(env, "lscc", LSCC_POLICY, net.view(), broken)))
                .isInstanceOf(ValidationExecutionException.class).hasMessage("disk on fire");
        StateReader corrupt = (ns, key) -> new byte[] {0x0a, 0x7f};
        assertThatThrownBy(() -> vscc.validate(new ValidationRequest(env, "lscc", LSCC_POLICY, net.view(), corrupt)))
                .isInstanceOf(ValidationExecutionException.class)
                .hasMessageStartingWith("unmarshalling ChaincodeQueryResponse failed");
    }

    @Test
    void registryResolvesVsccAndAbortsOnAnUnknownPlugin() {
        ValidationPluginRegistry registry = ValidationPluginRegistry.withDefaults();
        assertThat(registry.require("vscc")).isInstanceOf(DefaultValidation.class);
        assertThat(registry.names()).containsExactly("vscc");
        assertThatThrownBy(() -> registry.require("custom")).isInstanceOf(ValidationExecutionException.class)
                .hasMessage("plugin with name custom wasn't found");
        ValidationPluginRegistry custom = ValidationPluginRegistry.builder()
                .register("custom", request -> TxValidationResult.valid()).build();
        assertThat(custom.find("custom")).isPresent();
        assertThat(custom.names()).containsExactly("vscc", "custom");
    }
}
