package io.posunbind.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.posunbind.CoreErrorCode;
import io.posunbind.internal.crypto.FieldCipher;
import io.posunbind.internal.store.SqlDialect;
import io.posunbind.keys.DataKey;
import io.posunbind.spi.PosUnbindException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC store on an H2 file database in a temporary directory, new for each test. */
class H2FileCaseStoreTest extends JdbcCaseStoreContract {

    @TempDir
    Path directory;

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.H2;
    }

    @Override
    protected void emptyDatabase() throws SQLException {
        // Each test has its own directory, so its database starts empty; a test that empties it again
        // (to start from an older schema) has closed its store first.
        if (Files.exists(directory.resolve("store").resolve("posunbind.mv.db"))) {
            try (Connection connection = sideConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP ALL OBJECTS");
            }
        }
    }

    @Override
    protected JdbcCaseStore openStore() {
        return JdbcCaseStore.h2File(directory.resolve("store"));
    }

    @Override
    protected Connection sideConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + directory.resolve("store").resolve("posunbind"));
    }

    @Override
    protected DataSource dataSource() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + directory.resolve("store").resolve("posunbind"));
        return dataSource;
    }

    @Test
    void theDatabaseLivesInTheGivenDirectory() throws IOException {
        try (Stream<Path> files = Files.list(directory.resolve("store"))) {
            assertTrue(files.anyMatch(file -> file.getFileName().toString().equals("posunbind.mv.db")));
        }
    }

    @Test
    void missingParentDirectoriesAreCreated() {
        Path nested = directory.resolve("a").resolve("b");
        try (JdbcCaseStore nestedStore = JdbcCaseStore.h2File(nested)) {
            nestedStore.insert(CaseRecordBuilder.aCase("case-1").build());
            assertTrue(nestedStore.load("case-1").isPresent());
        }
        assertTrue(Files.isRegularFile(nested.resolve("posunbind.mv.db")));
    }

    /** Without it every update writes the document to H2's separate LOB storage, several times slower. */
    @Test
    void documentsOfUpTo64KibStayInTheirRow() throws SQLException {
        try (Connection connection = sideConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'MAX_LENGTH_INPLACE_LOB'")) {
            assertTrue(row.next());
            assertEquals("65536", row.getString(1));
        }
    }

    /**
     * A store's file after a clean close is about its data's size: pages are compressed (JSON shrinks to about
     * a quarter), and closing compacts the superseded chunks that pile up while H2 runs without a background
     * writer (5,000 waiting cases had left 437 MB around 27 MB of data). Sizes are in the README.
     */
    @Test
    void theStoreCompressesItsPagesAndCompactsItsFileWhenClosed() throws SQLException {
        try (Connection connection = sideConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM"
                        + " INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME IN ('COMPRESS', 'MAX_COMPACT_TIME')"
                        + " ORDER BY SETTING_NAME")) {
            List<String> settings = new ArrayList<>();
            while (rows.next()) {
                settings.add(rows.getString(1) + "=" + rows.getString(2).toLowerCase(Locale.ROOT));
            }
            assertEquals(List.of("COMPRESS=true", "MAX_COMPACT_TIME=5000"), settings);
        }
    }

    /** H2 updates every index of a row on every update: the terminal lookup must reuse the unique index. */
    @Test
    void openCasesOfATerminalAreFoundThroughTheOneOpenCaseIndex() throws SQLException {
        try (Connection connection = sideConnection();
                Statement statement = connection.createStatement();
                ResultSet plan = statement.executeQuery("EXPLAIN SELECT case_id FROM posunbind_case"
                        + " WHERE open_terminal = 'sandbox|SN1' AND provider_id = 'sandbox'"
                        + " AND terminal_serial = 'SN1' ORDER BY case_id");
                ResultSet indexes = connection.getMetaData().getIndexInfo(null, null, "POSUNBIND_CASE", false, false)) {
            assertTrue(plan.next());
            assertTrue(plan.getString(1).contains("POSUNBIND_CASE_ONE_OPEN_PER_TERMINAL"), plan.getString(1));
            while (indexes.next()) {
                assertFalse("POSUNBIND_CASE_TERMINAL".equals(indexes.getString("INDEX_NAME")),
                        "schema V4 drops the redundant terminal index");
            }
        }
    }

    /**
     * A first start killed between writing keys/h2-&lt;date&gt;.key and keys/current left a store that never
     * opened again (UNB-KEY-INVALID): the next start made another key under the same id.
     */
    @Test
    void aStoreWhoseFirstStartWasKilledWhileInstallingItsKeyOpens() throws IOException {
        Path data = directory.resolve("crashed");
        Path keys = Files.createDirectories(data.resolve("keys"));
        String orphanId = "h2-" + LocalDate.now(ZoneOffset.UTC);
        Path orphan = keys.resolve(orphanId + ".key");
        Files.writeString(orphan, DataKey.generate(orphanId, new SecureRandom()).toBase64());
        if (Files.getFileAttributeView(orphan, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(orphan, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(keys.resolve("current.tmp"), "h2-");

        try (JdbcCaseStore reopened = JdbcCaseStore.h2File(data)) {
            reopened.insert(CaseRecordBuilder.aCase("case-1").build());
            assertTrue(reopened.defaultDataKeys().orElseThrow().key(orphanId).isPresent());
        }
        try (JdbcCaseStore again = JdbcCaseStore.h2File(data)) {
            assertTrue(again.load("case-1").isPresent());
        }
    }

    /** Keys kept apart from the data: a copy of the data folder alone decrypts nothing. */
    @Test
    void aCopyOfTheDataFolderWithoutTheSeparateKeyFolderCannotDecrypt() throws IOException {
        Path data = directory.resolve("data");
        Path keys = directory.resolve("mounted-secrets").resolve("posunbind-keys");
        String token;
        try (JdbcCaseStore separate = JdbcCaseStore.h2File(data, keys)) {
            token = FieldCipher.create(separate.defaultDataKeys().orElseThrow()).encrypt("account", "6222020200112233");
            separate.insert(CaseRecordBuilder.aCase("case-1").document("{\"account\":\"" + token + "\"}").build());
        }
        try (Stream<Path> files = Files.walk(data)) {
            assertEquals(List.of(), files.filter(file -> file.toString().endsWith(".key")).toList(),
                    "no key file in the data folder");
        }
        Path copy = directory.resolve("copy-of-data");
        copyFolder(data, copy);

        try (JdbcCaseStore stolen = JdbcCaseStore.h2File(copy)) {
            String stored = stolen.load("case-1").orElseThrow().document();
            assertTrue(stored.contains(token), "the copy holds the encrypted value");
            PosUnbindException refused = assertThrows(PosUnbindException.class,
                    () -> FieldCipher.create(stolen.defaultDataKeys().orElseThrow()).decrypt("account", token));
            assertEquals(CoreErrorCode.DATA_KEY_UNKNOWN, refused.errorCode(), refused.getMessage());
        }
        try (JdbcCaseStore owner = JdbcCaseStore.h2File(data, keys)) {
            assertEquals("6222020200112233",
                    FieldCipher.create(owner.defaultDataKeys().orElseThrow()).decrypt("account", token));
        }
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /**
     * H2 closed the database from a shutdown hook of its own while a Spring Boot service was still
     * writing (NoClassDefFoundError from two threads on SIGTERM): the store turns that hook off.
     */
    @Test
    void h2DoesNotCloseTheStoresDatabaseFromItsOwnShutdownHook() throws ReflectiveOperationException {
        store.insert(CaseRecordBuilder.aCase("case-1").build());

        String database = directory.resolve("store").resolve("posunbind").toAbsolutePath().toString();
        assertFalse(databasesH2ClosesAtExit().contains(database), databasesH2ClosesAtExit().toString());
    }

    /** The application closes the store when it stops: no connection is left, and the next start opens it. */
    @Test
    void afterCloseNoConnectionRemainsAndTheStoreReopens() throws SQLException {
        store.insert(CaseRecordBuilder.aCase("case-1").build());
        store.load("case-1");
        ((JdbcCaseStore) store).close();

        try (Connection side = sideConnection();
                Statement statement = side.createStatement();
                ResultSet sessions = statement.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            assertTrue(sessions.next());
            assertEquals(1, sessions.getInt(1), "only this side connection is open on the database");
        }
        try (JdbcCaseStore reopened = openStore()) {
            assertTrue(reopened.load("case-1").isPresent());
        }
    }

    /**
     * The paths of the databases H2's shutdown hook would close, read from H2's internals. (H2 2.x hooks
     * every file database; one opened with DB_CLOSE_ON_EXIT=FALSE is only flushed there, not closed.)
     */
    private static List<String> databasesH2ClosesAtExit() throws ReflectiveOperationException {
        Class<?> closer = Class.forName("org.h2.engine.OnExitDatabaseCloser");
        Field registered = closer.getDeclaredField("DATABASES");
        registered.setAccessible(true);
        List<String> paths = new ArrayList<>();
        synchronized (closer) {
            for (Object database : ((Map<?, ?>) registered.get(null)).keySet()) {
                Field closesAtExit = database.getClass().getDeclaredField("closeAtVmShutdown");
                closesAtExit.setAccessible(true);
                if (closesAtExit.getBoolean(database)) {
                    String path = (String) database.getClass().getMethod("getDatabasePath").invoke(database);
                    paths.add(Path.of(path).toAbsolutePath().toString());
                }
            }
        }
        return paths;
    }

    /** Operators' searches by wait, merchant and terminal read an index, not every case. */
    @Test
    void findingStuckCasesByWaitMerchantOrTerminalReadsAnIndex() throws SQLException {
        Map<String, String> indexByQuery = Map.of(
                "wait_reason = 'INSTITUTION_DECISION' AND waiting_since < 5", "POSUNBIND_CASE_WAITING",
                "merchant_number = 'M-1'", "POSUNBIND_CASE_MERCHANT",
                "terminal_serial = 'SN-1' AND provider_id = 'sandbox'", "POSUNBIND_CASE_BY_TERMINAL");
        try (Connection connection = sideConnection(); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> query : indexByQuery.entrySet()) {
                try (ResultSet plan = statement.executeQuery("EXPLAIN SELECT case_id FROM posunbind_case WHERE "
                        + query.getKey() + " ORDER BY updated_at, case_id LIMIT 10")) {
                    assertTrue(plan.next());
                    assertTrue(plan.getString(1).contains(query.getValue()), plan.getString(1));
                }
            }
        }
    }

    /** A provider's notification finds its case through the reference table's primary key, not a scan. */
    @Test
    void findingACaseByAProvidersReferenceReadsAnIndex() throws SQLException {
        try (Connection connection = sideConnection(); Statement statement = connection.createStatement();
                ResultSet plan = statement.executeQuery("EXPLAIN SELECT case_id FROM posunbind_provider_reference"
                        + " WHERE provider_id = 'sandbox' AND reference = 'SBX-APP-000001' ORDER BY case_id")) {
            assertTrue(plan.next());
            assertTrue(plan.getString(1).contains("PRIMARY_KEY"), plan.getString(1));
        }
    }

    /** Users who bring PostgreSQL exclude the H2 jar, so no compiled class of core may name an H2 class. */
    @Test
    void noClassOfCoreReferencesH2() throws IOException, URISyntaxException {
        Path classes = Path.of(JdbcCaseStore.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Path> referencing;
        try (Stream<Path> files = Files.walk(classes)) {
            referencing = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(H2FileCaseStoreTest::referencesH2)
                    .toList();
        }
        assertFalse(Files.isRegularFile(classes), "expected a class directory, got " + classes);
        assertEquals(List.of(), referencing);
    }

    private static boolean referencesH2(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("org/h2/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
