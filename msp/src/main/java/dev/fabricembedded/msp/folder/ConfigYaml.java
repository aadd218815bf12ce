package dev.fabricembedded.msp.folder;

import com.google.protobuf.ByteString;
import dev.fabricembedded.msp.MspConfig;
import dev.fabricembedded.msp.NodeOUs;
import dev.fabricembedded.msp.OuIdentifier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code config.yaml} of an MSP folder (Fabric's {@code configuration} struct): {@code NodeOUs} with the
 * client, peer, admin and orderer OU identifiers, and {@code OrganizationalUnitIdentifiers}. Certificates are file
 * paths relative to the MSP folder.
 */
final class ConfigYaml {

    /** What a config.yaml contributes to the MSP configuration. */
    record Contents(NodeOUs nodeOUs, List<OuIdentifier> organizationalUnitIdentifiers) {
    }

    private ConfigYaml() {
    }

    /** Parses {@code mspDir/config.yaml}, resolving certificate paths against {@code mspDir}. */
    static Contents read(Path mspDir, Path file) {
        Object root;
        try {
            String text = Files.readString(file);
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not read " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new IllegalArgumentException("could not parse " + file + ": " + e.getMessage(), e);
        }
        if (root == null) {
            return new Contents(NodeOUs.DISABLED, List.of());
        }
        Map<?, ?> map = asMap(root, file, "the document");
        List<OuIdentifier> ous = new ArrayList<>();
        Object list = map.get("OrganizationalUnitIdentifiers");
        if (list != null) {
            if (!(list instanceof List<?> entries)) {
                throw new IllegalArgumentException(file + ": OrganizationalUnitIdentifiers must be a list");
            }
            for (Object entry : entries) {
                OuIdentifier ou = ouIdentifier(mspDir, file, asMap(entry, file, "an OrganizationalUnitIdentifiers entry"),
                        "OrganizationalUnitIdentifiers");
                ous.add(ou);
            }
        }
        NodeOUs nodeOUs = NodeOUs.DISABLED;
        Object nodeOusValue = map.get("NodeOUs");
        if (nodeOusValue != null) {
            Map<?, ?> n = asMap(nodeOusValue, file, "NodeOUs");
            Object enable = n.get("Enable");
            if (enable != null && !(enable instanceof Boolean)) {
                throw new IllegalArgumentException(file + ": NodeOUs.Enable must be true or false, got '" + enable + "'");
            }
            nodeOUs = new NodeOUs(Boolean.TRUE.equals(enable),
                    optionalOu(mspDir, file, n, "ClientOUIdentifier"), optionalOu(mspDir, file, n, "PeerOUIdentifier"),
                    optionalOu(mspDir, file, n, "AdminOUIdentifier"), optionalOu(mspDir, file, n, "OrdererOUIdentifier"));
        }
        return new Contents(nodeOUs, List.copyOf(ous));
    }

    private static OuIdentifier optionalOu(Path mspDir, Path file, Map<?, ?> nodeOus, String key) {
        Object value = nodeOus.get(key);
        return value == null ? null : ouIdentifier(mspDir, file, asMap(value, file, "NodeOUs." + key), key);
    }

    private static OuIdentifier ouIdentifier(Path mspDir, Path file, Map<?, ?> map, String what) {
        Object ou = map.get("OrganizationalUnitIdentifier");
        if (!(ou instanceof String) && !(ou instanceof Number)) {
            throw new IllegalArgumentException(file + ": " + what + " needs an OrganizationalUnitIdentifier");
        }
        Object certificate = map.get("Certificate");
        ByteString pem = ByteString.EMPTY;
        if (certificate != null && !certificate.toString().isEmpty()) {
            Path path = mspDir.resolve(certificate.toString());
            try {
                pem = ByteString.copyFrom(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new IllegalArgumentException("failed loading " + what + " certificate at [" + path + "]: "
                        + e.getMessage(), e);
            }
        }
        return new OuIdentifier(ou.toString(), pem);
    }

    private static Map<?, ?> asMap(Object value, Path file, String what) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": " + what + " must be a mapping");
        }
        return map;
    }

    /**
     * The YAML text for a configuration, or {@code null} when it needs none. {@code pathOf} maps a certificate's
     * PEM to its path relative to the MSP folder.
     */
    static String write(MspConfig config, java.util.function.Function<ByteString, String> pathOf) {
        NodeOUs n = config.nodeOUs();
        boolean hasNodeOus = n.enabled() || n.client() != null || n.peer() != null || n.admin() != null
                || n.orderer() != null;
        if (!hasNodeOus && config.organizationalUnitIdentifiers().isEmpty()) {
            return null;
        }
        StringBuilder yaml = new StringBuilder();
        if (!config.organizationalUnitIdentifiers().isEmpty()) {
            yaml.append("OrganizationalUnitIdentifiers:\n");
            for (OuIdentifier ou : config.organizationalUnitIdentifiers()) {
                boolean first = true;
                if (!ou.certificate().isEmpty()) {
                    yaml.append("  - Certificate: ").append(scalar(pathOf.apply(ou.certificate()))).append('\n');
                    first = false;
                }
                yaml.append(first ? "  - " : "    ").append("OrganizationalUnitIdentifier: ")
                        .append(scalar(ou.organizationalUnit())).append('\n');
            }
        }
        if (hasNodeOus) {
            yaml.append("NodeOUs:\n  Enable: ").append(n.enabled()).append('\n');
            appendNodeOu(yaml, "ClientOUIdentifier", n.client(), pathOf);
            appendNodeOu(yaml, "PeerOUIdentifier", n.peer(), pathOf);
            appendNodeOu(yaml, "AdminOUIdentifier", n.admin(), pathOf);
            appendNodeOu(yaml, "OrdererOUIdentifier", n.orderer(), pathOf);
        }
        return yaml.toString();
    }

    private static void appendNodeOu(StringBuilder yaml, String key, OuIdentifier ou,
            java.util.function.Function<ByteString, String> pathOf) {
        if (ou == null) {
            return;
        }
        yaml.append("  ").append(key).append(":\n");
        if (!ou.certificate().isEmpty()) {
            yaml.append("    Certificate: ").append(scalar(pathOf.apply(ou.certificate()))).append('\n');
        }
        yaml.append("    OrganizationalUnitIdentifier: ").append(scalar(ou.organizationalUnit())).append('\n');
    }

    private static String scalar(String value) {
        // single-quoted so that values such as "true" or "1" stay strings
        return "'" + value.replace("'", "''") + "'";
    }
}
