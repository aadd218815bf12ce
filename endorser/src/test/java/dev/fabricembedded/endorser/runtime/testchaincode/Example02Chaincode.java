package dev.fabricembedded.endorser.runtime.testchaincode;

import dev.fabricembedded.shim.Chaincode;
import dev.fabricembedded.shim.ChaincodeStub;
import dev.fabricembedded.shim.Response;
import java.io.IOException;
import java.util.List;

/**
 * Fabric's example02 (two accounts and a transfer) plus the misbehaviours the runtime tests need. It is packaged
 * into a jar by the tests and loaded by a chaincode process from that jar only.
 *
 * <ul>
 * <li>init {@code [init] a 100 b 200}: puts both accounts, and prints one line to stdout and one to stderr;</li>
 * <li>{@code query a}, {@code invoke a b 10}: as in example02;</li>
 * <li>{@code env NAME}: the value of an environment variable;</li>
 * <li>{@code spawn}: starts {@code sleep 600} as a child of the chaincode process and returns its pid;</li>
 * <li>{@code hold-shutdown}: installs a shutdown hook that never ends, so that the JVM ignores SIGTERM;</li>
 * <li>{@code exit n}: halts the process with status n in the middle of the transaction.</li>
 * </ul>
 */
public final class Example02Chaincode implements Chaincode {

    @Override
    public Response init(final ChaincodeStub stub) {
        final List<String> args = stub.getParameters();
        if (args.size() != 4) {
            return Response.error("Incorrect number of arguments. Expecting 4");
        }
        stub.putStringState(args.get(0), Integer.toString(Integer.parseInt(args.get(1))));
        stub.putStringState(args.get(2), Integer.toString(Integer.parseInt(args.get(3))));
        System.out.println("example02 init on stdout: " + args.get(0) + "=" + args.get(1));
        System.err.println("example02 init on stderr: " + args.get(2) + "=" + args.get(3));
        return Response.success();
    }

    @Override
    public Response invoke(final ChaincodeStub stub) {
        final List<String> params = stub.getParameters();
        return switch (stub.getFunction()) {
            case "query" -> Response.success(stub.getStringState(params.get(0)));
            case "invoke" -> move(stub, params.get(0), params.get(1), Integer.parseInt(params.get(2)));
            case "env" -> Response.success(String.valueOf(System.getenv(params.get(0))));
            case "spawn" -> spawn();
            case "hold-shutdown" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(Example02Chaincode::sleepForever, "hold-shutdown"));
                yield Response.success();
            }
            case "exit" -> {
                Runtime.getRuntime().halt(Integer.parseInt(params.get(0)));
                yield Response.error("unreachable");
            }
            default -> Response.error("Invalid invoke function name: " + stub.getFunction());
        };
    }

    private static Response move(final ChaincodeStub stub, final String from, final String to, final int amount) {
        final int a = Integer.parseInt(stub.getStringState(from));
        final int b = Integer.parseInt(stub.getStringState(to));
        stub.putStringState(from, Integer.toString(a - amount));
        stub.putStringState(to, Integer.toString(b + amount));
        return Response.success();
    }

    private static Response spawn() {
        try {
            final Process sleep = new ProcessBuilder("sleep", "600").start();
            return Response.success(Long.toString(sleep.pid()));
        } catch (IOException e) {
            return Response.error("cannot spawn: " + e);
        }
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // a hook that holds the JVM: ignore
            }
        }
    }
}
