package io.posunbind.backup;

/** What a backup chunk holds. */
public enum ChunkContent {
    /** The terminal's serial number and settings; always chunk 0. */
    SETTINGS,
    /** A consecutive range of the terminal's usage records. */
    USAGE_RECORDS
}
