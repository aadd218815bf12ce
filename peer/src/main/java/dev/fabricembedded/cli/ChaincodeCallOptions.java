package dev.fabricembedded.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --name N --args JSON} options of the commands that call a chaincode function. A picocli mixin. */
final class ChaincodeCallOptions {

    @Option(names = "--name", paramLabel = "N", required = true, description = "chaincode name")
    String name;

    @Option(names = "--args", paramLabel = "JSON", required = true,
            description = "function and arguments, a JSON array of strings, e.g. '[\"move\",\"a\",\"b\",\"10\"]' "
                    + "or '[\"query\",\"a\"]'")
    String args;

    /**
     * The function and its arguments.
     *
     * @throws IllegalArgumentException when {@code --args} is not a JSON array of strings or names no function
     */
    List<String> call() {
        List<String> call = JsonArgs.parse(args);
        if (call.isEmpty()) {
            throw new IllegalArgumentException("--args must name the function to call: give at least one string, "
                    + "e.g. '[\"query\",\"a\"]'");
        }
        return call;
    }
}
