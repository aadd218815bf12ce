package dev.fabricembedded.shim;

import dev.fabricembedded.shim.impl.ChaincodeProcess;

/**
 * The entry point of a chaincode process: {@code java -cp <package jar>:<shim jars> dev.fabricembedded.shim.ChaincodeMain
 * --id name:version --channel-dir DIR --class com.example.MyChaincode}.
 *
 * <p>It attaches to the Chronicle channel the peer created at {@code DIR}, registers as {@code name:version} and
 * serves the peer until the channel closes. Options may also come from the environment
 * ({@code CORE_CHAINCODE_ID_NAME}, {@code FABRIC_EMBEDDED_CHANNEL_DIR}, {@code FABRIC_EMBEDDED_CHAINCODE_CLASS}); with
 * {@code --jar FILE} the class may be named by the jar's {@code Chaincode-Class} manifest attribute. It logs to
 * stderr (SLF4J; the simple binding must be on the class path) and exits with 0 when the channel closed in an
 * orderly way, 1 when the peer was lost, 2 for bad options or chaincode class, 3 when there was no channel to
 * attach to ({@link ChaincodeProcess}).
 */
public final class ChaincodeMain {

    private ChaincodeMain() {
    }

    public static void main(final String[] args) {
        System.setProperty("org.slf4j.simpleLogger.logFile",
                System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime",
                System.getProperty("org.slf4j.simpleLogger.showDateTime", "true"));
        System.exit(ChaincodeProcess.run(args, System.getenv()));
    }
}
