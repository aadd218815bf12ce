package dev.fabricembedded.endorser.runtime;

import dev.fabricembedded.shim.ChaincodeMain;
import dev.fabricembedded.shim.impl.ChaincodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * The command line of a chaincode JVM: {@code java <Chronicle flags> -Xmx.. <options> -cp <shim>:<package jars>
 * dev.fabricembedded.shim.ChaincodeMain --id name:version --channel-dir DIR --jar JAR [--class FQCN] [--peer-pid PID]}.
 *
 * <p>The shim comes first on the class path, so a chaincode cannot replace the protocol's classes (protobuf,
 * Chronicle) with its own versions. The package jars follow in the spec's order; {@code --jar} names the one whose
 * manifest names the chaincode class ({@code Chaincode-Class}), which is the only jar when there is one, and
 * {@code --class} is passed when the spec names the class. The same command serves a child process and a container,
 * with paths as the chaincode sees them.
 *
 * @param java          the {@code java} executable
 * @param jvmOptions    options after the Chronicle flags (heap, GC...)
 * @param shimClasspath the shim's class path entries
 */
record ChaincodeCommand(String java, List<String> jvmOptions, List<String> shimClasspath) {

    /** Default maximum heap of a chaincode JVM. */
    static final String DEFAULT_MAX_HEAP = "256m";
    /**
     * Default JVM options after the heap: the serial collector (a chaincode is small, and the machine may have two
     * cores for many JVMs) and exit on OutOfMemoryError (the peer then sees the process exit instead of a zombie).
     */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");

    private static final Pattern HEAP_SIZE = Pattern.compile("[0-9]+[kKmMgG]?");

    ChaincodeCommand {
        Objects.requireNonNull(java, "java");
        jvmOptions = List.copyOf(jvmOptions);
        shimClasspath = List.copyOf(shimClasspath);
    }

    /**
     * Checks a maximum heap size as given to a runtime builder.
     *
     * @throws IllegalArgumentException unless it looks like {@code 256m} or {@code 1g}
     */
    static String checkHeapSize(final String size) {
        Objects.requireNonNull(size, "size");
        if (!HEAP_SIZE.matcher(size).matches()) {
            throw new IllegalArgumentException("max heap must look like 256m or 1g, got '" + size + "'");
        }
        return size;
    }

    /**
     * The command for one chaincode.
     *
     * @param spec        what to start (its package jars are read here, on the peer's side, when there are several)
     * @param packageJars the spec's package jars as the chaincode sees them, same order
     * @param channelDir  the channel directory as the chaincode sees it
     * @param peerPid     the peer's pid if the chaincode can watch it, else {@code null}
     * @throws ChaincodeStartException if the spec has no package jar, or several and none names the class
     */
    List<String> forChaincode(final LaunchSpec spec, final List<String> packageJars, final String channelDir,
            final Long peerPid) {
        if (spec.packageJars().isEmpty()) {
            throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": it has no package jar");
        }
        final List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(ChronicleJvmFlags.FLAGS);
        command.addAll(jvmOptions);
        final List<String> classpath = new ArrayList<>(shimClasspath);
        classpath.addAll(packageJars);
        command.add("-cp");
        command.add(String.join(":", classpath));
        command.add(ChaincodeMain.class.getName());
        command.add("--id");
        command.add(spec.chaincodeId());
        command.add("--channel-dir");
        command.add(channelDir);
        final int mainJar = mainJar(spec);
        if (mainJar >= 0) {
            command.add("--jar");
            command.add(packageJars.get(mainJar));
        }
        spec.chaincodeClass().ifPresent(cls -> {
            command.add("--class");
            command.add(cls);
        });
        if (peerPid != null) {
            command.add("--peer-pid");
            command.add(Long.toString(peerPid));
        }
        return command;
    }

    /**
     * The index of the jar passed as {@code --jar}: the only one; else the first whose manifest names the chaincode
     * class; -1 when the spec names the class and no jar does.
     */
    static int mainJar(final LaunchSpec spec) {
        final List<Path> jars = spec.packageJars();
        if (jars.size() == 1) {
            return 0;
        }
        for (int i = 0; i < jars.size(); i++) {
            if (namesChaincodeClass(jars.get(i))) {
                return i;
            }
        }
        if (spec.chaincodeClass().isPresent()) {
            return -1;
        }
        throw new ChaincodeStartException("cannot start chaincode " + spec.chaincodeId() + ": none of its package jars "
                + jars + " has a " + ChaincodeProcess.CHAINCODE_CLASS_ATTRIBUTE + " manifest attribute and no"
                + " chaincode class was given");
    }

    private static boolean namesChaincodeClass(final Path jar) {
        if (!Files.isRegularFile(jar)) {
            return false;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            final Manifest manifest = file.getManifest();
            return manifest != null
                    && manifest.getMainAttributes().getValue(ChaincodeProcess.CHAINCODE_CLASS_ATTRIBUTE) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
