/**
 * Fabric's MSP folder layout ({@code cacerts/}, {@code intermediatecerts/}, {@code admincerts/}, {@code crls/},
 * {@code signcerts/}, {@code keystore/}, {@code tlscacerts/}, {@code config.yaml}), read the way Fabric's
 * {@code msp/configbuilder.go} reads it, so folders made by cryptogen or fabric-ca load, and written atomically.
 *
 * <p>Threads: the static methods hold no state; concurrent writes to the same folder are not supported (the second
 * fails because the folder exists).
 */
package dev.fabricembedded.msp.folder;
