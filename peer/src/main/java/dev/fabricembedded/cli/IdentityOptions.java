package dev.fabricembedded.cli;

import picocli.CommandLine.Option;

/**
 * {@code --org} and {@code --user}: whose identity signs, read from the network's MSP folders
 * ({@code users/<user>@<org>.example.com/msp}). Each command sets its own default user (Admin for the lifecycle
 * commands, User1 for invoke and query). A picocli mixin; filled by the command's thread.
 */
final class IdentityOptions {

    @Option(names = "--org", paramLabel = "ORG", defaultValue = "org1",
            description = "organization of the signing identity: org<N>, Org<N>MSP or <N> (default: ${DEFAULT-VALUE})")
    String org;

    @Option(names = "--user", paramLabel = "USER", description = "Admin or User1 (default: Admin for install, instantiate and upgrade; User1 for invoke and query)")
    String user;

    String userOr(String defaultUser) {
        return user != null ? user : defaultUser;
    }
}
