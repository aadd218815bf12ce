package dev.fabricembedded.scc.vscc;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hyperledger.fabric.protos.peer.CollectionConfig;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.peer.StaticCollectionConfig;

/**
 * VSCC's V1_2 checks of a collection configuration in a deploy/upgrade (Fabric's {@code validateNewCollectionConfigs}
 * and {@code validateNewCollectionConfigsAgainstOld}). Each method returns Fabric's error text, or {@code null}.
 */
final class CollectionRules {

    private static final String ALLOWED_CHARS = "[A-Za-z0-9_-]+";
    private static final Pattern NAME = Pattern.compile(ALLOWED_CHARS);

    private CollectionRules() {
    }

    static String validateNew(List<CollectionConfig> configs) {
        Set<String> names = new HashSet<>();
        for (CollectionConfig config : configs) {
            if (!config.hasStaticCollectionConfig()) {
                return "unknown collection configuration type";
            }
            StaticCollectionConfig coll = config.getStaticCollectionConfig();
            String name = coll.getName();
            if (name.isEmpty()) {
                return "empty collection-name is not allowed";
            }
            if (!NAME.matcher(name).matches()) {
                return "collection-name: " + name + " not allowed. A valid collection name follows the pattern: "
                        + ALLOWED_CHARS;
            }
            if (!names.add(name)) {
                return "collection-name: " + name + " -- found duplicate collection configuration";
            }
            int max = coll.getMaximumPeerCount();
            int required = coll.getRequiredPeerCount();
            if (max < required) {
                return "collection-name: " + name + " -- maximum peer count (" + max
                        + ") cannot be greater than the required peer count (" + required + ")";
            }
            if (required < 0) {
                return "collection-name: " + name + " -- requiredPeerCount (" + max + ") cannot be less than zero ("
                        + required + ")";
            }
            if (coll.hasMemberOrgsPolicy() && coll.getMemberOrgsPolicy().hasSignaturePolicy()) {
                String problem = orConcatenationProblem(coll.getMemberOrgsPolicy().getSignaturePolicy().getRule());
                if (problem != null) {
                    return "collection-name: " + name + " -- error in member org policy: " + problem;
                }
            }
        }
        return null;
    }

    static String validateAgainstOld(List<CollectionConfig> newConfigs, List<CollectionConfig> oldConfigs) {
        Map<String, StaticCollectionConfig> byName = new HashMap<>();
        for (CollectionConfig config : newConfigs) {
            byName.put(config.getStaticCollectionConfig().getName(), config.getStaticCollectionConfig());
        }
        for (CollectionConfig config : oldConfigs) {
            if (!config.hasStaticCollectionConfig()) {
                return "unknown collection configuration type";
            }
            StaticCollectionConfig old = config.getStaticCollectionConfig();
            StaticCollectionConfig now = byName.get(old.getName());
            if (now == null) {
                return "the following existing collections are missing in the new collection configuration package: ["
                        + old.getName() + "]";
            }
            if (now.getBlockToLive() != old.getBlockToLive()) {
                return "the BlockToLive in the following existing collections must not be modified: ["
                        + old.getName() + "]";
            }
        }
        return null;
    }

    /** Fabric's {@code validateSpOrConcat}: every NOutOf must have N == 1. */
    private static String orConcatenationProblem(SignaturePolicy rule) {
        if (!rule.hasNOutOf()) {
            return null;
        }
        if (rule.getNOutOf().getN() != 1) {
            return "signature policy is not an OR concatenation, NOutOf " + rule.getNOutOf().getN();
        }
        for (SignaturePolicy sub : rule.getNOutOf().getRulesList()) {
            String problem = orConcatenationProblem(sub);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
