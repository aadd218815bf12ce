package dev.fabricembedded.scc.lscc;

import static dev.fabricembedded.scc.fixtures.TestNetwork.CHANNEL;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.fabricembedded.ledger.CommitResult;
import dev.fabricembedded.msp.SigningIdentity;
import dev.fabricembedded.msp.devca.NodeRole;
import dev.fabricembedded.msp.policy.PolicyDsl;
import dev.fabricembedded.msp.policy.SignaturePolicies;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.ccprovider.ChaincodePackage;
import dev.fabricembedded.scc.channel.ChannelCapabilities;
import dev.fabricembedded.scc.fixtures.TestNetwork;
import dev.fabricembedded.scc.fixtures.TestNetwork.Invocation;
import dev.fabricembedded.scc.fixtures.TestNetwork.Orgs;
import dev.fabricembedded.scc.fixtures.TestPackages;
import dev.fabricembedded.shim.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.protos.peer.CollectionConfig;
import org.hyperledger.fabric.protos.peer.CollectionConfigPackage;
import org.hyperledger.fabric.protos.peer.CollectionPolicyConfig;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.StaticCollectionConfig;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeDeploymentSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeInfo;
import org.hyperledger.fabric.protos.peer.ChaincodeQueryResponse;
import org.hyperledger.fabric.protos.peer.LifecycleEvent;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LsccTest {

    @TempDir
    Path dir;

    private TestNetwork net;
    private Lscc lscc;

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

    private Invocation call(SigningIdentity creator, String channel, List<byte[]> args) {
        return net.invoke(lscc, "lscc", creator, channel, args);
    }

    private Invocation call(SigningIdentity creator, byte[]... args) {
        return call(creator, CHANNEL, Arrays.asList(args));
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Deploy/upgrade args as the CLI builds them: the CDS without its code package. */
    private static List<byte[]> lifecycleArgs(String fn, ChaincodeDeploymentSpec cds, byte[]... optional) {
        List<byte[]> args = new ArrayList<>(List.of(b(fn), b(CHANNEL), cds.toBuilder().clearCodePackage().build()
                .toByteArray()));
        args.addAll(Arrays.asList(optional));
        return args;
    }

    private ChaincodePackage install(String name, String version) {
        return net.packages().install(TestPackages.cds(name, version, TestPackages.jar(name + version), "init", "a",
                "100").toByteString());
    }

    private Invocation deployCommitted(String name, String version) throws Exception {
        install(name, version);
        Invocation inv = call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds(name, version)));
        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        commitValid(inv);
        return inv;
    }

    private void commitValid(Invocation inv) throws Exception {
        CommitResult result = net.commit(List.of(net.transaction(inv, "lscc", TestNetwork.admin1(),
                TestNetwork.peer1())));
        assertThat(result.code(0)).isEqualTo(TxValidationCode.VALID);
    }

    private static KVRWSet lsccRwSet(ByteString results) throws Exception {
        TxReadWriteSet rwset = TxReadWriteSet.parseFrom(results);
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            if (ns.getNamespace().equals("lscc")) {
                return KVRWSet.parseFrom(ns.getRwset());
            }
        }
        throw new AssertionError("no lscc namespace in " + rwset);
    }

    private static void assertError(Invocation inv, String message) {
        assertThat(inv.response().status()).isEqualTo(500);
        assertThat(inv.response().message()).isEqualTo(message);
    }

    // ---- deploy ----

    @Test
    void deployWritesFabricsChaincodeDataWithDefaultsAndReadsTheKeyAtNilVersion() throws Exception {
        ChaincodePackage pkg = install("mycc", "1.0");

        Invocation inv = call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0")));

        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        ChaincodeData cd = ChaincodeData.parse(ByteString.copyFrom(inv.response().payload()));
        assertThat(cd.name()).isEqualTo("mycc");
        assertThat(cd.version()).isEqualTo("1.0");
        assertThat(cd.escc()).isEqualTo("escc");
        assertThat(cd.vscc()).isEqualTo("vscc");
        assertThat(cd.policy()).isEqualTo(
                SignaturePolicies.signedByAnyMember(List.of("Org1MSP", "Org2MSP")).toByteString());
        assertThat(cd.instantiationPolicy()).isEqualTo(
                SignaturePolicies.signedByAnyAdmin(List.of("Org1MSP", "Org2MSP")).toByteString());
        assertThat(cd.data()).isEqualTo(pkg.data());
        assertThat(cd.id()).isEqualTo(pkg.id());
        assertThat(inv.event().isEmpty()).as("deploy sets no event").isTrue();

        KVRWSet rw = lsccRwSet(inv.results());
        assertThat(rw.getReadsList()).singleElement().satisfies(read -> {
            assertThat(read.getKey()).isEqualTo("mycc");
            assertThat(read.hasVersion()).isFalse();
        });
        assertThat(rw.getWritesList()).singleElement().satisfies(write -> {
            assertThat(write.getKey()).isEqualTo("mycc");
            assertThat(write.getValue().toByteArray()).isEqualTo(inv.response().payload());
        });
    }

    @Test
    void deployKeepsTheClientsPolicyBytesAndPluginNamesExactly() throws Exception {
        install("mycc", "1.0");
        SignaturePolicyEnvelope ep = PolicyDsl.parse("AND('Org1MSP.member','Org2MSP.member')");
        byte[] nonCanonical = ByteString.copyFrom(ep.toByteArray()).concat(ByteString.copyFrom(new byte[] {0x48, 1}))
                .toByteArray();

        Invocation inv = call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                nonCanonical, b("escc"), b("vscc")));

        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        ChaincodeData cd = ChaincodeData.parse(ByteString.copyFrom(inv.response().payload()));
        assertThat(cd.policy().toByteArray()).isEqualTo(nonCanonical);
        assertThat(lsccRwSet(inv.results()).getWrites(0).getValue().toByteArray()).containsSequence(nonCanonical);
    }

    @Test
    void deployOfAnExistingNameFails() throws Exception {
        deployCommitted("mycc", "1.0");
        install("mycc", "2.0");
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "2.0"))),
                "chaincode with name 'mycc' already exists");
    }

    @Test
    void invalidNamesAndVersionsAreRejectedWithFabricsTexts() {
        for (String name : List.of("_a", "a-", "a.b", "")) {
            assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds(name, "1.0"))),
                    "invalid chaincode name '" + name + "'. Names must start with an alphanumeric character and can "
                            + "only consist of alphanumerics, '_', and '-'");
        }
        for (String version : List.of("1 0", "")) {
            assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("a", version))),
                    "invalid chaincode version '" + version + "'. Versions must not be empty and can only consist of "
                            + "alphanumerics, '_',  '-', '+', and '.'");
        }
    }

    @Test
    void deployOfAPackageThatIsNotInstalledFails() {
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("x", "1.0"))),
                "cannot get package for chaincode (x:1.0)");
    }

    @Test
    void deployByANonAdminViolatesTheDefaultInstantiationPolicy() throws Exception {
        install("mycc", "1.0");
        Invocation inv = call(TestNetwork.client1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0")));
        assertError(inv, "instantiation policy violation: signature set did not satisfy policy");
        assertThat(lsccRwSet(inv.results()).getWritesCount()).isZero();
    }

    @Test
    void signedPackageBringsItsOwnInstantiationPolicy() throws Exception {
        SignaturePolicyEnvelope org2Admins = SignaturePolicies.signedByMspAdmin("Org2MSP");
        ChaincodeDeploymentSpec cds = TestPackages.cds("signed", "1.0");
        ChaincodePackage pkg = net.packages().install(TestPackages.signedPackage(cds, org2Admins,
                Orgs.org2().signer(NodeRole.ADMIN)));

        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", cds)),
                "instantiation policy violation: signature set did not satisfy policy");
        Invocation inv = call(Orgs.org2().signer(NodeRole.ADMIN), CHANNEL, lifecycleArgs("deploy", cds));
        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        ChaincodeData cd = ChaincodeData.parse(ByteString.copyFrom(inv.response().payload()));
        assertThat(cd.instantiationPolicy()).isEqualTo(org2Admins.toByteString());
        assertThat(cd.id()).isEqualTo(pkg.id());
        assertThat(pkg.mismatch(cd)).isEmpty();
    }

    @Test
    void unknownPluginNamesAreRefusedAtDeploy() {
        install("mycc", "1.0");
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], b("myescc"))), "escc 'myescc' is not an endorsement plugin of this peer (known: [escc])");
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], new byte[0], b("myvscc"))),
                "vscc 'myvscc' is not a validation plugin of this peer (known: [vscc])");
        Lscc custom = Lscc.builder().packageStore(net.packages()).channels(net.channels())
                .localMsp(Orgs.org1().msp()).endorsementPlugins(java.util.Set.of("escc", "myescc")).build();
        Invocation ok = net.invoke(custom, "lscc", TestNetwork.admin1(), CHANNEL,
                lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"), new byte[0], b("myescc")));
        assertThat(ok.response().status()).as(ok.response().message()).isEqualTo(200);
    }

    @Test
    void aChannelThisPeerHasNotJoinedIsAnErrorNotACrash() {
        install("mycc", "1.0");
        List<byte[]> args = lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"));
        args.set(1, b("otherchannel"));
        assertError(call(TestNetwork.admin1(), CHANNEL, args),
                "cannot deploy chaincode on channel [otherchannel]: this peer has not joined it");
        args.set(1, new byte[0]);
        assertError(call(TestNetwork.admin1(), CHANNEL, args), "invalid channel name: ");
    }

    @Test
    void argumentCountsFollowTheChannelCapabilities() {
        install("mycc", "1.0");
        net.capabilities(ChannelCapabilities.v1_1());
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], new byte[0], new byte[0], new byte[0])),
                "as V1_2 or later capability is not enabled, private channel collections and data are not available");
        net.capabilities(ChannelCapabilities.v1_2());
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], new byte[0], new byte[0], new byte[0], new byte[0])),
                "invalid number of arguments to lscc: 8");
        assertError(call(TestNetwork.admin1(), b("deploy"), b(CHANNEL)), "invalid number of arguments to lscc: 2");
        assertThat(call(TestNetwork.admin1(), b("deploy"), b(CHANNEL), b("not a cds")).response().message())
                .startsWith("error unmarshaling ChaincodeDeploymentSpec: ");
        assertError(call(TestNetwork.admin1(), CHANNEL, List.of()), "invalid number of arguments to lscc: 0");
        assertError(call(TestNetwork.admin1(), b("frobnicate")), "invalid function to lscc: frobnicate");
    }

    @Test
    void deployWithCollectionsWritesTheCollectionKeyAndGetCollectionsConfigReturnsIt() throws Exception {
        install("mycc", "1.0");
        CollectionConfigPackage collections = CollectionConfigPackage.newBuilder().addConfig(CollectionConfig
                .newBuilder().setStaticCollectionConfig(StaticCollectionConfig.newBuilder().setName("coll")
                        .setMemberOrgsPolicy(CollectionPolicyConfig.newBuilder()
                                .setSignaturePolicy(PolicyDsl.parse("OR('Org1MSP.member','Org9MSP.member')")))
                        .setRequiredPeerCount(0).setMaximumPeerCount(1))).build();

        Invocation inv = call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("mycc", "1.0"),
                new byte[0], new byte[0], new byte[0], collections.toByteArray()));

        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        KVRWSet rw = lsccRwSet(inv.results());
        assertThat(rw.getWritesList()).extracting(w -> w.getKey()).containsExactly("mycc", "mycc~collection");
        assertThat(rw.getWrites(1).getValue()).isEqualTo(collections.toByteString());
        commitValid(inv);

        Invocation query = call(TestNetwork.client1(), b("GetCollectionsConfig"), b("mycc"));
        assertThat(query.response().payload()).isEqualTo(collections.toByteArray());
        assertError(call(TestNetwork.client1(), b("getcollectionsconfig"), b("other")),
                "collections config not defined for chaincode other");
        assertError(call(Orgs.org3().signer(NodeRole.CLIENT), b("GetCollectionsConfig"), b("mycc")),
                "access denied for [GetCollectionsConfig]: Failed evaluating policy on signed data during check "
                        + "policy on channel [mychannel] with policy [/Channel/Application/Readers]: [implicit policy "
                        + "evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the "
                        + "'Readers' sub-policies to be satisfied]");

        ByteString badCollections = ByteString.copyFromUtf8("\u0001garbage");
        install("other", "1.0");
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("other", "1.0"),
                new byte[0], new byte[0], new byte[0], badCollections.toByteArray())),
                "invalid collection configuration supplied for chaincode other:1.0");
        CollectionConfigPackage noPolicy = CollectionConfigPackage.newBuilder().addConfig(CollectionConfig
                .newBuilder().setStaticCollectionConfig(StaticCollectionConfig.newBuilder().setName("c"))).build();
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("deploy", TestPackages.cds("other", "1.0"),
                new byte[0], new byte[0], new byte[0], noPolicy.toByteArray())),
                "collection member policy check failed: collection member policy is not set");
    }

    // ---- upgrade ----

    @Test
    void upgradeRewritesTheDefinitionAndSetsTheUpgradeEvent() throws Exception {
        deployCommitted("mycc", "1.0");
        ChaincodePackage v2 = install("mycc", "2.0");

        Invocation inv = call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0")));

        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        ChaincodeData cd = ChaincodeData.parse(ByteString.copyFrom(inv.response().payload()));
        assertThat(cd.version()).isEqualTo("2.0");
        assertThat(cd.id()).isEqualTo(v2.id());
        ChaincodeEvent event = ChaincodeEvent.parseFrom(inv.event());
        assertThat(event.getEventName()).isEqualTo("upgrade");
        assertThat(LifecycleEvent.parseFrom(event.getPayload()).getChaincodeName()).isEqualTo("mycc");
        KVRWSet rw = lsccRwSet(inv.results());
        assertThat(rw.getReads(0).getKey()).isEqualTo("mycc");
        assertThat(rw.getReads(0).hasVersion()).as("reads the committed definition").isTrue();
        commitValid(inv);

        Invocation data = call(TestNetwork.client1(), b("getccdata"), b(CHANNEL), b("mycc"));
        assertThat(ChaincodeData.parse(ByteString.copyFrom(data.response().payload())).version()).isEqualTo("2.0");
    }

    @Test
    void upgradeFailures() throws Exception {
        install("ghost", "2.0");
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("upgrade", TestPackages.cds("ghost", "2.0"))),
                "could not find chaincode with name 'ghost'");

        deployCommitted("mycc", "1.0");
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("upgrade", TestPackages.cds("mycc", "1.0"))),
                "version already exists for chaincode with name 'mycc'");

        install("mycc", "2.0");
        assertError(call(TestNetwork.client1(), CHANNEL, lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0"))),
                "instantiation policy violation: signature set did not satisfy policy");
    }

    @Test
    void upgradeChecksTheOldInstantiationPolicyAndThenTheNewOne() throws Exception {
        // v1 is a signed package only Org2 admins may instantiate; v2 is unsigned (default: any admin)
        ChaincodeDeploymentSpec v1 = TestPackages.cds("mycc", "1.0");
        net.packages().install(TestPackages.signedPackage(v1, SignaturePolicies.signedByMspAdmin("Org2MSP"),
                Orgs.org2().signer(NodeRole.ADMIN)));
        Invocation deploy = call(Orgs.org2().signer(NodeRole.ADMIN), CHANNEL, lifecycleArgs("deploy", v1));
        assertThat(deploy.response().status()).as(deploy.response().message()).isEqualTo(200);
        commitValid(deploy);
        install("mycc", "2.0");

        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0"))),
                "instantiation policy violation: signature set did not satisfy policy");
        Invocation ok = call(Orgs.org2().signer(NodeRole.ADMIN), CHANNEL,
                lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0")));
        assertThat(ok.response().status()).as(ok.response().message()).isEqualTo(200);
    }

    @Test
    void collectionUpgradeNeedsItsCapability() throws Exception {
        deployCommitted("mycc", "1.0");
        install("mycc", "2.0");
        net.capabilities(new ChannelCapabilities(true, false, true, true, false, false));
        assertError(call(TestNetwork.admin1(), CHANNEL, lifecycleArgs("upgrade", TestPackages.cds("mycc", "2.0"),
                new byte[0], new byte[0], new byte[0], new byte[0])),
                "as V1_2 capability is not enabled, collection upgrades are not allowed");
    }

    // ---- queries ----

    @Test
    void getidGetccdataAndGetdepspecAfterDeploy() throws Exception {
        Invocation deploy = deployCommitted("mycc", "1.0");

        assertThat(new String(call(TestNetwork.client1(), b("getid"), b(CHANNEL), b("mycc")).response().payload(),
                UTF_8)).isEqualTo("mycc");
        assertThat(call(TestNetwork.client1(), b("ChaincodeExists"), b(CHANNEL), b("mycc")).response().status())
                .isEqualTo(200);
        assertThat(call(TestNetwork.client1(), b("getccdata"), b(CHANNEL), b("mycc")).response().payload())
                .isEqualTo(deploy.response().payload());
        byte[] depspec = call(TestNetwork.client1(), b("getdepspec"), b(CHANNEL), b("mycc")).response().payload();
        assertThat(depspec).isEqualTo(net.packages().get("mycc", "1.0").orElseThrow().deploymentSpecBytes()
                .toByteArray());

        assertError(call(TestNetwork.client1(), b("getid"), b(CHANNEL), b("nope")),
                "could not find chaincode with name 'nope'");
        assertError(call(TestNetwork.client1(), b("getid"), b(CHANNEL)), "invalid number of arguments to lscc: 2");
        assertError(call(TestNetwork.client1(), b("getccdata"), b("elsewhere"), b("mycc")),
                "access denied for [getccdata][elsewhere]: Failed to get policy manager for channel [elsewhere]");
        assertThat(call(Orgs.org3().signer(NodeRole.CLIENT), b("getid"), b(CHANNEL), b("mycc")).response().message())
                .startsWith("access denied for [getid][mychannel]: Failed evaluating policy on signed data during "
                        + "check policy on channel [mychannel] with policy [/Channel/Application/Readers]");
    }

    @Test
    void tamperingWithTheInstalledFileAfterInstantiateFailsTheFingerprintCheck() throws Exception {
        deployCommitted("mycc", "1.0");
        Files.write(dir.resolve("chaincodes").resolve("mycc.1.0"),
                TestPackages.cds("mycc", "1.0", TestPackages.jar("evil")).toByteArray());

        assertError(call(TestNetwork.client1(), b("getdepspec"), b(CHANNEL), b("mycc")),
                "chaincode fingerprint mismatch: data mismatch");

        Files.delete(dir.resolve("chaincodes").resolve("mycc.1.0"));
        assertError(call(TestNetwork.client1(), b("getdepspec"), b(CHANNEL), b("mycc")),
                "invalid deployment spec: chaincode mycc:1.0 is not installed on this peer");
    }

    @Test
    void getchaincodesListsDefinitionsWithLocalPathAndInputAndSkipsCollectionKeys() throws Exception {
        deployCommitted("alpha", "1.0");
        deployCommitted("beta", "1.0");
        Files.delete(dir.resolve("chaincodes").resolve("beta.1.0"));

        Invocation inv = call(TestNetwork.client1(), b("getchaincodes"));

        ChaincodeQueryResponse response = ChaincodeQueryResponse.parseFrom(inv.response().payload());
        assertThat(response.getChaincodesList()).extracting(ChaincodeInfo::getName).containsExactly("alpha", "beta");
        ChaincodeInfo alpha = response.getChaincodes(0);
        assertThat(alpha.getPath()).isEqualTo("dev/example/alpha");
        assertThat(alpha.getInput()).isEqualTo("args:\"init\" args:\"a\" args:\"100\" ");
        assertThat(alpha.getEscc()).isEqualTo("escc");
        assertThat(alpha.getVscc()).isEqualTo("vscc");
        assertThat(alpha.getId().isEmpty()).isTrue();
        ChaincodeInfo beta = response.getChaincodes(1);
        assertThat(beta.getPath()).isEmpty();
        assertThat(beta.getInput()).isEmpty();
        assertError(call(TestNetwork.client1(), b("getchaincodes"), b("x")), "invalid number of arguments to lscc: 2");
    }

    // ---- install ----

    @Test
    void installByTheLocalAdminStoresThePackageAndOthersAreDenied() throws Exception {
        ChaincodeDeploymentSpec cds = TestPackages.cds("mycc", "1.0");
        List<byte[]> args = List.of(b("install"), cds.toByteArray());

        Invocation inv = net.invoke(lscc, "lscc", TestNetwork.admin1(), "", args);
        assertThat(inv.response().status()).as(inv.response().message()).isEqualTo(200);
        assertThat(new String(inv.response().payload(), UTF_8)).isEqualTo("OK");
        assertThat(Files.readAllBytes(dir.resolve("chaincodes").resolve("mycc.1.0"))).isEqualTo(cds.toByteArray());

        assertError(net.invoke(lscc, "lscc", TestNetwork.admin1(), "", args),
                "error installing chaincode code mycc:1.0(chaincode " + dir.resolve("chaincodes").resolve("mycc.1.0")
                        + " exists)");
        assertThat(net.invoke(lscc, "lscc", TestNetwork.client1(), "", args).response().message())
                .startsWith("access denied for [install]: Failed verifying that proposal's creator satisfies local "
                        + "MSP principal during channelless check policy with policy [Admins]: [");
        assertThat(net.invoke(lscc, "lscc", Orgs.org2().signer(NodeRole.ADMIN), "", args).response().message())
                .startsWith("access denied for [install]: Failed deserializing proposal creator during channelless "
                        + "check policy with policy [Admins]: [");
        assertError(net.invoke(lscc, "lscc", TestNetwork.admin1(), "", List.of(b("install"))),
                "invalid number of arguments to lscc: 1");
        assertError(net.invoke(lscc, "lscc", TestNetwork.admin1(), "", List.of(b("install"), b("junk"))),
                "could not unmarshal chaincode package to CDS or SignedCDS");
    }

    @Test
    void getinstalledchaincodesListsPackagesWithTheirIdsForLocalAdminsOnly() throws Exception {
        ChaincodePackage a = install("alpha", "1.0");
        ChaincodePackage b2 = install("beta", "2.0");

        Invocation inv = net.invoke(lscc, "lscc", TestNetwork.admin1(), "", List.of(b("getinstalledchaincodes")));

        ChaincodeQueryResponse response = ChaincodeQueryResponse.parseFrom(inv.response().payload());
        assertThat(response.getChaincodesList()).extracting(ChaincodeInfo::getName, ChaincodeInfo::getVersion,
                ChaincodeInfo::getId).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alpha", "1.0", a.id()),
                        org.assertj.core.groups.Tuple.tuple("beta", "2.0", b2.id()));
        assertThat(response.getChaincodes(0).getPath()).isEqualTo("dev/example/alpha");
        assertThat(response.getChaincodes(0).getInput()).isEmpty();
        assertThat(net.invoke(lscc, "lscc", TestNetwork.client1(), "", List.of(b("GetInstalledChaincodes")))
                .response().message()).startsWith("access denied for [GetInstalledChaincodes]: ");
    }

    @Test
    void initSucceedsWithoutPayload() {
        Response init = lscc.init(null);
        assertThat(init.status()).isEqualTo(200);
        assertThat(init.payload()).isEmpty();
    }
}
