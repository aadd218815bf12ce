package dev.fabricembedded.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code --version}: the jar's implementation version (the Maven project version). */
final class CliVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = FabricEmbeddedCli.class.getPackage().getImplementationVersion();
        return new String[] {"fabric-embedded " + (version != null ? version : "(development build)")};
    }
}
