/**
 * The {@code fabric-embedded} command line (picocli): {@code demo}, {@code network init}, {@code install},
 * {@code instantiate}, {@code upgrade}, {@code invoke}, {@code query}, {@code blocks}, {@code endorse},
 * {@code broadcast}, each working on an {@link dev.fabricembedded.peer.network.EmbeddedNetwork} data directory.
 * {@link dev.fabricembedded.cli.FabricEmbeddedCli} is the jar's main class.
 *
 * <p>Threads: a command runs on the main thread; it opens the network, works and closes it before the process
 * exits (the network's own threads and chaincode processes end with the close). Nothing here is shared between
 * commands.
 */
package dev.fabricembedded.cli;
