package dev.fabricembedded.peer.committer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.fabricembedded.scc.ccprovider.ChaincodeData;
import dev.fabricembedded.scc.vscc.StateReader;
import dev.fabricembedded.scc.vscc.ValidationExecutionException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ChaincodeDefinitions}: Fabric's {@code getCDataForCC}, each namespace read and parsed once per block. */
class ChaincodeDefinitionsTest {

    private static final ByteString POLICY = ByteString.copyFromUtf8("policy bytes");

    private final Map<String, byte[]> lscc = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private final StateReader state = (namespace, key) -> {
        assertThat(namespace).isEqualTo("lscc");
        reads.add(key);
        if (key.equals("broken")) {
            throw new ValidationExecutionException("could not retrieve state for lscc/broken", null);
        }
        byte[] value = lscc.get(key);
        return value == null ? null : value.clone();
    };

    @Test
    void eachNamespaceIsReadAndParsedOnceAndEveryCallerGetsTheSameDefinition() {
        lscc.put("mycc", definition("mycc", "vscc", POLICY));
        lscc.put("other", definition("other", "vscc", POLICY));
        ChaincodeDefinitions definitions = new ChaincodeDefinitions(state);

        ChaincodeDefinitions.Definition first = definitions.get("mycc");
        for (int i = 0; i < 5; i++) {
            assertThat(definitions.get("mycc")).isSameAs(first);
        }
        assertThat(definitions.get("other").data().name()).isEqualTo("other");

        assertThat(first.error()).isNull();
        assertThat(first.data()).isEqualTo(new ChaincodeData("mycc", "1.0", "escc", "vscc", POLICY, ByteString.EMPTY,
                ByteString.EMPTY, ByteString.EMPTY));
        assertThat(reads).containsExactly("mycc", "other");
    }

    @Test
    void unusableDefinitionsGiveFabricsReasonsOncePerBlock() {
        lscc.put("novscc", definition("novscc", "", POLICY));
        lscc.put("nopolicy", definition("nopolicy", "vscc", ByteString.EMPTY));
        lscc.put("garbage", new byte[] {(byte) 0xff, (byte) 0xff});
        ChaincodeDefinitions definitions = new ChaincodeDefinitions(state);

        assertThat(definitions.get("missing").error()).isEqualTo("lscc's state for [missing] not found.");
        assertThat(definitions.get("novscc").error())
                .isEqualTo("lscc's state for [novscc] is invalid, vscc field must be set");
        assertThat(definitions.get("nopolicy").error())
                .isEqualTo("lscc's state for [nopolicy] is invalid, policy field must be set");
        assertThat(definitions.get("garbage").error()).startsWith("unmarshalling ChaincodeQueryResponse failed, error ");
        assertThat(definitions.get("missing").data()).isNull();

        assertThat(definitions.get("missing")).isSameAs(definitions.get("missing"));
        assertThat(reads).containsExactly("missing", "novscc", "nopolicy", "garbage");
    }

    @Test
    void aFailingReadIsThrownAndNotRemembered() {
        ChaincodeDefinitions definitions = new ChaincodeDefinitions(state);

        assertThatThrownBy(() -> definitions.get("broken")).isInstanceOf(ValidationExecutionException.class)
                .hasMessage("could not retrieve state for lscc/broken");
        assertThatThrownBy(() -> definitions.get("broken")).isInstanceOf(ValidationExecutionException.class);
        assertThat(reads).containsExactly("broken", "broken");
    }

    private static byte[] definition(String name, String vscc, ByteString policy) {
        return new ChaincodeData(name, "1.0", "escc", vscc, policy, ByteString.EMPTY, ByteString.EMPTY,
                ByteString.EMPTY).toByteString().toByteArray();
    }
}
