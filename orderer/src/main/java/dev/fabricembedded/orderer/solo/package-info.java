/**
 * The solo ordering service ({@link dev.fabricembedded.orderer.solo.SoloOrderer}, Fabric's
 * {@code orderer/consensus/solo} with the broadcast and deliver services around it): one ordering thread per
 * channel, chains persisted in the ledger's block store under {@code <data>/orderer/<channel>}, one delivery thread
 * per subscriber.
 *
 * <p>Threads and state:
 * <ul>
 *   <li>{@code solo-orderer-<channel>}: owns the channel's block cutter, batch timer and block writer; the only
 *   thread appending to the channel's block store.</li>
 *   <li>{@code orderer-deliver-<channel>-<n>}: one per subscription; reads blocks from the store and calls the
 *   listener, then sleeps on the chain's condition until the next block is stored.</li>
 *   <li>Broadcasting threads (the callers): run the filters and enqueue into the channel's bounded queue.</li>
 * </ul>
 * The channel map is concurrent; creation and close are serialized on one lock. Every thread is joined on close.
 */
package dev.fabricembedded.orderer.solo;
