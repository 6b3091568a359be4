package io.posunbind.internal.store;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which databases get a write lock, and that the stores on one file share it whatever their URLs' options. */
class EmbeddedWritesTest {

    @TempDir
    Path directory;

    @Test
    void anEmbeddedFileIsNamedAbsoluteWithoutItsOptionsAndMemoryOrAServerHasNone() {
        String absolute = directory.resolve("posunbind").toAbsolutePath().normalize().toString();
        String home = Path.of(System.getProperty("user.home"), "data", "x").toAbsolutePath().normalize().toString();
        assertAll(
                () -> assertEquals(Optional.of(absolute), EmbeddedWrites.databaseFile("jdbc:h2:file:" + absolute
                        + ";WRITE_DELAY=0;COMPRESS=TRUE")),
                () -> assertEquals(Optional.of(absolute), EmbeddedWrites.databaseFile("jdbc:h2:" + absolute)),
                () -> assertEquals(Optional.of(absolute), EmbeddedWrites.databaseFile("jdbc:h2:file:"
                        + directory.resolve("sub").resolve("..").resolve("posunbind") + ";LOCK_TIMEOUT=1")),
                () -> assertEquals(Optional.of(home), EmbeddedWrites.databaseFile("jdbc:h2:~/data/x")),
                () -> assertEquals(Optional.of(absolute), EmbeddedWrites.databaseFile("jdbc:h2:nio:" + absolute)),
                () -> assertEquals(Optional.of(absolute), EmbeddedWrites.databaseFile("jdbc:h2:split:28:nio:"
                        + absolute + ";WRITE_DELAY=0")),
                () -> assertEquals(Optional.of(home), EmbeddedWrites.databaseFile("jdbc:h2:async:~/data/x")),
                () -> assertEquals(Optional.empty(), EmbeddedWrites.databaseFile("jdbc:h2:memFS:cases")),
                () -> assertEquals(Optional.empty(), EmbeddedWrites.databaseFile("jdbc:h2:nioMemLZF:cases")),
                () -> assertEquals(Optional.empty(),
                        EmbeddedWrites.databaseFile("jdbc:h2:mem:cases;DB_CLOSE_DELAY=-1")),
                () -> assertEquals(Optional.empty(), EmbeddedWrites.databaseFile("jdbc:h2:tcp://db:9092/cases")),
                () -> assertEquals(Optional.empty(), EmbeddedWrites.databaseFile("jdbc:h2:ssl://db/cases")));
    }

    @Test
    void twoConnectionsToOneFileShareALockAndAnotherFileHasItsOwn() throws Exception {
        String file = directory.resolve("posunbind").toString().replace('\\', '/');
        String other = directory.resolve("other").toString().replace('\\', '/');
        try (Connection caseStore = DriverManager.getConnection("jdbc:h2:file:" + file + ";WRITE_DELAY=0", "sa", "");
                Connection auditStore = DriverManager.getConnection("jdbc:h2:file:" + file + ";LOCK_TIMEOUT=10000",
                        "sa", "");
                Connection elsewhere = DriverManager.getConnection("jdbc:h2:file:" + other, "sa", "");
                Connection inMemory = DriverManager.getConnection("jdbc:h2:mem:nothing-saved", "sa", "")) {
            Lock shared = EmbeddedWrites.lockFor(caseStore).orElseThrow();
            assertAll(() -> assertSame(shared, EmbeddedWrites.lockFor(auditStore).orElseThrow()),
                    () -> assertNotSame(shared, EmbeddedWrites.lockFor(elsewhere).orElseThrow()),
                    () -> assertTrue(EmbeddedWrites.lockFor(inMemory).isEmpty()));
        }
    }
}
