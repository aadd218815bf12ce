package dev.fabricembedded.endorser.runtime;

import java.util.List;

/**
 * The JVM flags a process needs on Java 17+ to use Chronicle Queue and Map: the module exports and opens Chronicle
 * reaches into, its analytics and announcer switched off (no network calls from a peer), and the pauser allowed on
 * machines with fewer than four CPUs (otherwise Chronicle silently replaces every pauser by a sleepy one).
 *
 * <p>This is the one copy of the list in Java code: the chaincode runtimes pass it to every chaincode JVM, and the
 * CLI launcher and the tests take it from here. (The build's own copy is the root pom's {@code chronicle.jvm.flags}
 * property, which surefire uses; keep the two equal.)
 */
public final class ChronicleJvmFlags {

    /** The flags, in the order they are passed. Immutable. */
    public static final List<String> FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "-Dchronicle.announcer.disable=true",
            "-Dchronicle.disk.monitor.disable=true",
            "-Dpauser.minProcessors=1");

    private ChronicleJvmFlags() {
    }
}
