package dev.fabricembedded.examples;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Asset transfer in the style of Fabric's {@code chaincode_example02}: two entities hold integer amounts, and
 * value moves between them. Arguments and error texts are example02's, so Fabric tutorials and scripts
 * ({@code {"Args":["init","a","100","b","200"]}}, {@code ["invoke","a","b","10"]}, {@code ["query","a"]}) work
 * unchanged.
 *
 * <ul>
 * <li>{@code init A Aval B Bval} (after the function name): stores both amounts.</li>
 * <li>{@code invoke A B X} (also {@code move}): moves {@code X} from A to B.</li>
 * <li>{@code delete A}: removes A.</li>
 * <li>{@code query A}: returns A's amount as the payload.</li>
 * </ul>
 * Every failure is a status 500 response ({@code shim.Error}), which the shim turns into an ERROR.
 */
public final class Example02Chaincode implements Chaincode {

    @Override
    public Response init(final ChaincodeStub stub) {
        final List<String> args = stub.getParameters();
        if (args.size() != 4) {
            return Response.error("Incorrect number of arguments. Expecting 4");
        }
        final Integer aval = parse(args.get(1));
        final Integer bval = parse(args.get(3));
        if (aval == null || bval == null) {
            return Response.error("Expecting integer value for asset holding");
        }
        stub.putStringState(args.get(0), Integer.toString(aval));
        stub.putStringState(args.get(2), Integer.toString(bval));
        return Response.success();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        final String function = stub.getFunction();
        final List<String> args = stub.getParameters();
        if (function == null) {
            return invalidFunction();
        }
        return switch (function) {
            case "invoke", "move" -> move(stub, args);
            case "delete" -> delete(stub, args);
            case "query" -> query(stub, args);
            default -> invalidFunction();
        };
    }

    private static Response invalidFunction() {
        return Response.error("Invalid invoke function name. Expecting \"invoke\" \"delete\" \"query\"");
    }

    private static Response move(final ChaincodeStub stub, final List<String> args) {
        if (args.size() != 3) {
            return Response.error("Incorrect number of arguments. Expecting 3");
        }
        final String a = args.get(0);
        final String b = args.get(1);
        final byte[] aBytes = stub.getState(a);
        if (aBytes.length == 0) {
            return Response.error("Entity not found");
        }
        final byte[] bBytes = stub.getState(b);
        if (bBytes.length == 0) {
            return Response.error("Entity not found");
        }
        final Integer amount = parse(args.get(2));
        if (amount == null) {
            return Response.error("Invalid transaction amount, expecting a integer value");
        }
        final Integer aval = parse(new String(aBytes, StandardCharsets.UTF_8));
        final Integer bval = parse(new String(bBytes, StandardCharsets.UTF_8));
        if (aval == null || bval == null) {
            return Response.error("Expecting integer value for asset holding");
        }
        stub.putStringState(a, Integer.toString(aval - amount));
        stub.putStringState(b, Integer.toString(bval + amount));
        return Response.success();
    }

    private static Response delete(final ChaincodeStub stub, final List<String> args) {
        if (args.size() != 1) {
            return Response.error("Incorrect number of arguments. Expecting 1");
        }
        stub.delState(args.get(0));
        return Response.success();
    }

    private static Response query(final ChaincodeStub stub, final List<String> args) {
        if (args.size() != 1) {
            return Response.error("Incorrect number of arguments. Expecting name of the person to query");
        }
        final String a = args.get(0);
        final byte[] value = stub.getState(a);
        if (value.length == 0) {
            return Response.error("{\"Error\":\"Nil amount for " + a + "\"}");
        }
        return Response.success(value);
    }

    private static Integer parse(final String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
