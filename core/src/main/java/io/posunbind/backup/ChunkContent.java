package io.posunbind.backup;

import io.posunbind.spi.API;

/** What a backup chunk holds. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum ChunkContent {
    /** The terminal's serial number and settings; always chunk 0. */
    SETTINGS,
    /** A consecutive range of the terminal's usage records. */
    USAGE_RECORDS
}
