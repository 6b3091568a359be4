package io.posunbind.examples.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.posunbind.Actor;
import io.posunbind.batch.BatchFiles;
import io.posunbind.batch.BatchRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example fleet file the README points to reads as a batch, so it cannot drift from the format. */
class StoresClosingCsvTest {

    @Test
    void theExampleFleetFileReadsAsFourRows() throws Exception {
        List<BatchRow> rows = BatchFiles.readCsv(Files.readString(Path.of("fleet/stores-closing.csv")),
                Actor.operator("operator:li.na"));

        assertEquals(List.of(1, 2, 3, 4), rows.stream().map(BatchRow::rowNumber).toList());
        assertEquals(Optional.of(ZoneId.of("Asia/Urumqi")), rows.get(2).timeZone());
        assertEquals("门店搬迁, 原终端回收", rows.get(3).request().reasonNote());
    }
}
