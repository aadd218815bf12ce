package dev.fabricembedded.scc.lscc;

import com.google.protobuf.ByteString;
import java.util.Map;
import java.util.TreeMap;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;

/**
 * Go's {@code ChaincodeInput.String()} (golang/protobuf compact text format), which {@code getchaincodes} reports as
 * {@code ChaincodeInfo.input}: {@code args:"init" args:"a" } with a trailing space, bytes escaped as Go does
 * ({@code \n \r \t \" \\}, other non-printable bytes as three-digit octal), map entries sorted by key.
 */
final class ChaincodeInputText {

    private ChaincodeInputText() {
    }

    static String of(ChaincodeInput input) {
        StringBuilder out = new StringBuilder();
        for (ByteString arg : input.getArgsList()) {
            out.append("args:");
            quote(out, arg);
            out.append(' ');
        }
        for (Map.Entry<String, ByteString> e : new TreeMap<>(input.getDecorationsMap()).entrySet()) {
            out.append("decorations:<key:");
            quote(out, ByteString.copyFromUtf8(e.getKey()));
            out.append(" value:");
            quote(out, e.getValue());
            out.append(" > ");
        }
        if (input.getIsInit()) {
            out.append("is_init:true ");
        }
        return out.toString();
    }

    private static void quote(StringBuilder out, ByteString bytes) {
        out.append('"');
        for (int i = 0; i < bytes.size(); i++) {
            int c = bytes.byteAt(i) & 0xff;
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append((char) c);
                    } else {
                        out.append('\\').append(String.format("%03o", c));
                    }
                }
            }
        }
        out.append('"');
    }
}
