package dev.fabricembedded.ledger.state;

/**
 * A write (value or delete) of one key by one valid transaction: what the history index records.
 *
 * @param key     the written key
 * @param version the (block, tx) of the writing transaction
 */
public record KeyWrite(StateKey key, Height version) {
}
