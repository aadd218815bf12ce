package dev.fabricembedded.scc.lscc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.junit.jupiter.api.Test;

class ChaincodeInputTextTest {

    @Test
    void formatsLikeGosCompactTextWithEscapes() {
        ChaincodeInput input = ChaincodeInput.newBuilder()
                .addArgs(ByteString.copyFromUtf8("init"))
                .addArgs(ByteString.copyFromUtf8("a\n\"b\\'"))
                .addArgs(ByteString.copyFrom(new byte[] {0, 0x7f, (byte) 0xff, 't'}))
                .putDecorations("z", ByteString.copyFromUtf8("2"))
                .putDecorations("a", ByteString.copyFromUtf8("1"))
                .build();
        assertThat(ChaincodeInputText.of(input)).isEqualTo(
                "args:\"init\" args:\"a\\n\\\"b\\\\'\" args:\"\\000\\177\\377t\" "
                        + "decorations:<key:\"a\" value:\"1\" > decorations:<key:\"z\" value:\"2\" > ");
        assertThat(ChaincodeInputText.of(ChaincodeInput.getDefaultInstance())).isEmpty();
    }
}
