package dev.fabricembedded.orderer.channelconfig;

import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.folder.MspFolder;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a {@link ChannelProfile} from YAML written like Fabric's {@code configtx.yaml}, so an existing profile (with
 * its anchors and {@code <<} merges) can be used as it is. Either the file has a {@code Profiles} map and one profile
 * is selected by name, or the whole document is one profile. A profile reads:
 *
 * <pre>
 * Consortium: SampleConsortium            # optional
 * Capabilities: { V1_4_3: true }          # channel level; only names set to true count
 * Policies:                               # channel level, optional
 *   Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
 * Orderer:
 *   OrdererType: solo
 *   Addresses: [ orderer.example.com:7050 ]
 *   BatchTimeout: 200ms                   # a Go duration
 *   BatchSize: { MaxMessageCount: 500, AbsoluteMaxBytes: 10 MB, PreferredMaxBytes: 2 MB }
 *   Capabilities: { V1_4_2: true }
 *   Policies: { BlockValidation: { Type: ImplicitMeta, Rule: "ANY Writers" } }
 *   Organizations:
 *     - Name: OrdererOrg                  # optional, defaults to ID
 *       ID: OrdererMSP
 *       MSPDir: crypto/ordererOrganizations/example.com/msp   # relative to the YAML file
 *       Policies: { Admins: { Type: Signature, Rule: "OR('OrdererMSP.admin')" } }
 * Application:
 *   Capabilities: { V1_4_2: true }
 *   Organizations: [ ... as above ... ]
 * </pre>
 *
 * Every key left out keeps the {@link ChannelProfile.Builder} default (so a minimal profile needs only the
 * organisations). Sizes accept configtxgen's forms ({@code 10 MB}, {@code 512 KB}, {@code 99m}, a plain number);
 * MSP folders are read with the msp module's {@link MspFolder} (Fabric's MSP folder layout, {@code config.yaml} for
 * NodeOUs). Keys Fabric 1.4 has but this orderer does not use ({@code ACLs}, {@code AnchorPeers},
 * {@code EtcdRaft}, {@code Kafka}, {@code MaxChannels}, {@code AdminPrincipal}, {@code Consortiums}) are ignored.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the file and the key path (e.g.
 * {@code Profiles.TwoOrgs.Orderer.BatchSize.MaxMessageCount}). Stateless.
 */
public final class ChannelProfileYaml {

    /** configtxgen's byte-size syntax ({@code viperutil.byteSizeDecodeHook}). */
    private static final Pattern SIZE = Pattern.compile("^([0-9]+)\\s*([kKmMgG])[bB]?$");
    private static final long UINT32_MAX = 0xFFFF_FFFFL;

    private ChannelProfileYaml() {
    }

    /**
     * Loads the profile from a file holding a single profile, or a {@code Profiles} map with exactly one profile.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static ChannelProfile load(Path file, String channelId) {
        return load(file, null, channelId);
    }

    /**
     * Loads a named profile of a configtx.yaml-style file ({@code profileName} may be {@code null} when the file is
     * a single profile or has only one).
     *
     * @throws IllegalArgumentException naming the file and the problem
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static ChannelProfile load(Path file, String profileName, String channelId) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read channel profile " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        try {
            return parse(text, base, profileName, channelId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses YAML text; relative {@code MSPDir}s are resolved against {@code baseDirectory}.
     *
     * @throws IllegalArgumentException naming the key path and the problem
     */
    public static ChannelProfile parse(String yaml, Path baseDirectory, String profileName, String channelId) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
        Map<?, ?> document = map(root, "document");
        String path;
        Map<?, ?> profile;
        if (document.containsKey("Profiles")) {
            Map<?, ?> profiles = map(document.get("Profiles"), "Profiles");
            String name = profileName;
            if (name == null) {
                if (profiles.size() != 1) {
                    throw new IllegalArgumentException("Profiles has " + profiles.size()
                            + " profiles " + names(profiles) + "; name the one to use");
                }
                name = String.valueOf(profiles.keySet().iterator().next());
            }
            if (!profiles.containsKey(name)) {
                throw new IllegalArgumentException("no profile '" + name + "' in Profiles " + names(profiles));
            }
            path = "Profiles." + name;
            profile = map(profiles.get(name), path);
        } else {
            path = "";
            profile = document;
        }
        return profile(profile, path, baseDirectory, channelId);
    }

    private static ChannelProfile profile(Map<?, ?> profile, String path, Path base, String channelId) {
        ChannelProfile.Builder builder = ChannelProfile.builder(channelId);
        if (profile.containsKey("Consortium")) {
            builder.consortium(string(profile.get("Consortium"), key(path, "Consortium")));
        }
        if (profile.containsKey("Capabilities")) {
            builder.channelCapabilities(ChannelCapabilities.of(capabilities(profile.get("Capabilities"),
                    key(path, "Capabilities"))));
        }
        policies(profile, path).forEach(builder::channelPolicy);

        String ordererPath = key(path, "Orderer");
        Map<?, ?> orderer = map(required(profile, "Orderer", path), ordererPath);
        if (orderer.containsKey("OrdererType")) {
            builder.consensusType(string(orderer.get("OrdererType"), key(ordererPath, "OrdererType")));
        }
        if (orderer.containsKey("Addresses")) {
            List<String> addresses = new ArrayList<>();
            for (Object address : list(orderer.get("Addresses"), key(ordererPath, "Addresses"))) {
                addresses.add(string(address, key(ordererPath, "Addresses")));
            }
            builder.ordererAddresses(addresses);
        }
        builder.batchSettings(batchSettings(orderer, ordererPath));
        if (orderer.containsKey("Capabilities")) {
            builder.ordererCapabilities(OrdererCapabilities.of(capabilities(orderer.get("Capabilities"),
                    key(ordererPath, "Capabilities"))));
        }
        policies(orderer, ordererPath).forEach(builder::ordererPolicy);
        organizations(orderer, ordererPath, base).forEach(builder::ordererOrganization);

        String applicationPath = key(path, "Application");
        Map<?, ?> application = map(required(profile, "Application", path), applicationPath);
        if (application.containsKey("Capabilities")) {
            builder.applicationCapabilities(ApplicationCapabilities.of(capabilities(application.get("Capabilities"),
                    key(applicationPath, "Capabilities"))));
        }
        policies(application, applicationPath).forEach(builder::applicationPolicy);
        organizations(application, applicationPath, base).forEach(builder::applicationOrganization);
        return builder.build();
    }

    private static BatchSettings batchSettings(Map<?, ?> orderer, String path) {
        BatchSettings settings = BatchSettings.EMBEDDED_DEFAULT;
        long count = settings.maxMessageCount();
        long absolute = settings.absoluteMaxBytes();
        long preferred = settings.preferredMaxBytes();
        java.time.Duration timeout = settings.batchTimeout();
        if (orderer.containsKey("BatchTimeout")) {
            String timeoutPath = key(path, "BatchTimeout");
            try {
                timeout = GoDuration.parse(string(orderer.get("BatchTimeout"), timeoutPath));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(timeoutPath + ": " + e.getMessage(), e);
            }
        }
        if (orderer.containsKey("BatchSize")) {
            String sizePath = key(path, "BatchSize");
            Map<?, ?> size = map(orderer.get("BatchSize"), sizePath);
            if (size.containsKey("MaxMessageCount")) {
                count = size(size.get("MaxMessageCount"), key(sizePath, "MaxMessageCount"));
            }
            if (size.containsKey("AbsoluteMaxBytes")) {
                absolute = size(size.get("AbsoluteMaxBytes"), key(sizePath, "AbsoluteMaxBytes"));
            }
            if (size.containsKey("PreferredMaxBytes")) {
                preferred = size(size.get("PreferredMaxBytes"), key(sizePath, "PreferredMaxBytes"));
            }
        }
        try {
            return new BatchSettings(count, absolute, preferred, timeout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static List<OrganizationProfile> organizations(Map<?, ?> level, String path, Path base) {
        String orgsPath = key(path, "Organizations");
        List<OrganizationProfile> organizations = new ArrayList<>();
        if (!level.containsKey("Organizations") || level.get("Organizations") == null) {
            return organizations;
        }
        List<?> entries = list(level.get("Organizations"), orgsPath);
        for (int i = 0; i < entries.size(); i++) {
            String orgPath = orgsPath + "[" + i + "]";
            Map<?, ?> org = map(entries.get(i), orgPath);
            String id = string(required(org, "ID", orgPath), key(orgPath, "ID"));
            String mspDir = string(required(org, "MSPDir", orgPath), key(orgPath, "MSPDir"));
            MspConfig mspConfig;
            try {
                mspConfig = MspFolder.read(base.resolve(mspDir), id).config();
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new IllegalArgumentException(key(orgPath, "MSPDir") + ": " + e.getMessage(), e);
            }
            OrganizationProfile.Builder builder = OrganizationProfile.builder(mspConfig);
            if (org.containsKey("Name")) {
                builder.name(string(org.get("Name"), key(orgPath, "Name")));
            }
            policies(org, orgPath).forEach(builder::policy);
            try {
                organizations.add(builder.build());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(orgPath + ": " + e.getMessage(), e);
            }
        }
        return organizations;
    }

    private static Map<String, PolicyDefinition> policies(Map<?, ?> level, String path) {
        Map<String, PolicyDefinition> policies = new java.util.LinkedHashMap<>();
        if (!level.containsKey("Policies") || level.get("Policies") == null) {
            return policies;
        }
        String policiesPath = key(path, "Policies");
        for (Map.Entry<?, ?> entry : map(level.get("Policies"), policiesPath).entrySet()) {
            String name = String.valueOf(entry.getKey());
            String policyPath = key(policiesPath, name);
            Map<?, ?> policy = map(entry.getValue(), policyPath);
            String type = string(required(policy, "Type", policyPath), key(policyPath, "Type"));
            String rule = string(required(policy, "Rule", policyPath), key(policyPath, "Rule"));
            try {
                policies.put(name, switch (type) {
                    case "Signature" -> PolicyDefinition.signature(rule);
                    case "ImplicitMeta" -> PolicyDefinition.implicitMeta(rule);
                    default -> throw new IllegalArgumentException("unknown policy type: " + type
                            + " (expected Signature or ImplicitMeta)");
                });
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(policyPath + ": " + e.getMessage(), e);
            }
        }
        return policies;
    }

    private static Set<String> capabilities(Object value, String path) {
        Set<String> names = new TreeSet<>();
        if (value == null) {
            return names;
        }
        for (Map.Entry<?, ?> entry : map(value, path).entrySet()) {
            if (!(entry.getValue() instanceof Boolean enabled)) {
                throw new IllegalArgumentException(key(path, String.valueOf(entry.getKey()))
                        + ": expected true or false, got '" + entry.getValue() + "'");
            }
            if (enabled) {
                names.add(String.valueOf(entry.getKey()));
            }
        }
        return names;
    }

    /** A uint32 size: a number, or configtxgen's {@code <n> KB|MB|GB} (powers of 1024). */
    static long size(Object value, String path) {
        long size;
        if (value instanceof Integer || value instanceof Long) {
            size = ((Number) value).longValue();
        } else if (value instanceof String text) {
            Matcher matcher = SIZE.matcher(text.trim());
            if (matcher.matches()) {
                size = Long.parseLong(matcher.group(1));
                int shift = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
                    case "g" -> 30;
                    case "m" -> 20;
                    default -> 10;
                };
                if (size > (UINT32_MAX >> shift)) {
                    throw new IllegalArgumentException(path + ": value '" + text + "' overflows uint32");
                }
                size <<= shift;
            } else if (text.trim().matches("[0-9]+")) {
                size = Long.parseLong(text.trim());
            } else {
                throw new IllegalArgumentException(path + ": expected a size like 512 KB or 10 MB, got '" + text + "'");
            }
        } else {
            throw new IllegalArgumentException(path + ": expected a number or size, got '" + value + "'");
        }
        if (size < 0 || size > UINT32_MAX) {
            throw new IllegalArgumentException(path + ": value '" + value + "' overflows uint32");
        }
        return size;
    }

    private static Object required(Map<?, ?> map, String name, String path) {
        Object value = map.get(name);
        if (value == null) {
            throw new IllegalArgumentException(key(path, name) + " is required");
        }
        return value;
    }

    private static Map<?, ?> map(Object value, String path) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException((path.isEmpty() ? "document" : path) + ": expected a mapping, got "
                    + (value == null ? "nothing" : "'" + value + "'"));
        }
        return map;
    }

    private static List<?> list(Object value, String path) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(path + ": expected a list, got '" + value + "'");
        }
        return list;
    }

    private static String string(Object value, String path) {
        if (value instanceof Map<?, ?> || value instanceof List<?> || value == null) {
            throw new IllegalArgumentException(path + ": expected a scalar, got '" + value + "'");
        }
        return String.valueOf(value);
    }

    private static String key(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String names(Map<?, ?> map) {
        return new TreeSet<>(map.keySet().stream().map(String::valueOf).toList()).toString();
    }
}
