package io.posunbind.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of posunbind in a Spring Boot application, under the prefix {@code posunbind}. Every one has a
 * default, so an application with a provider on its class path needs none of them to start.
 *
 * <p>No {@code toString()}: provider settings hold API keys and webhook secrets, which must never reach a log.
 * Not thread-safe; Spring binds it once at start-up.
 */
@ConfigurationProperties(prefix = "posunbind")
public class PosUnbindProperties {

    /**
     * Settings of each payment provider by its id, handed to its factory as they are written, for example
     * posunbind.providers.stripe.api-key or posunbind.providers.sandbox.backend.
     */
    private Map<String, Map<String, String>> providers = new LinkedHashMap<>();

    /**
     * Who runs a case's steps after a command: inline (the caller's thread, until the case waits or ends),
     * none (a worker; the command returns once stored) or up-to (a worker; the command waits up to
     * command-wait-timeout for the case's next wait).
     */
    private CommandWait commandWait = CommandWait.UP_TO;

    /** How long a command waits for a worker to bring its case to the next wait, with command-wait up-to. */
    private Duration commandWaitTimeout = Duration.ofSeconds(10);

    /** How often the engine asks a provider about an operation or an application it is waiting for. */
    private Duration pollInterval = Duration.ofMinutes(1);

    /** Whether every case waits for an internal review (four eyes) before anything is changed. */
    private boolean internalReview;

    /** The name of this instance in leases and logs; by default host, process id and a random suffix. */
    private String instanceId;

    private final Store store = new Store();
    private final DataKeys dataKeys = new DataKeys();
    private final Audit audit = new Audit();
    private final Worker worker = new Worker();
    private final Web web = new Web();
    private final Metrics metrics = new Metrics();

    public Map<String, Map<String, String>> getProviders() {
        return providers;
    }

    public void setProviders(Map<String, Map<String, String>> providers) {
        this.providers = providers;
    }

    public CommandWait getCommandWait() {
        return commandWait;
    }

    public void setCommandWait(CommandWait commandWait) {
        this.commandWait = commandWait;
    }

    public Duration getCommandWaitTimeout() {
        return commandWaitTimeout;
    }

    public void setCommandWaitTimeout(Duration commandWaitTimeout) {
        this.commandWaitTimeout = commandWaitTimeout;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public boolean isInternalReview() {
        return internalReview;
    }

    public void setInternalReview(boolean internalReview) {
        this.internalReview = internalReview;
    }

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Store getStore() {
        return store;
    }

    public DataKeys getDataKeys() {
        return dataKeys;
    }

    public Audit getAudit() {
        return audit;
    }

    public Worker getWorker() {
        return worker;
    }

    public Web getWeb() {
        return web;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    /** Who runs a case's steps after a command (see {@code io.posunbind.WaitPolicy}). */
    public enum CommandWait {
        /** The caller's thread runs the steps until the case waits or ends. */
        INLINE,
        /** The command returns once its change is stored; a worker runs the steps. */
        NONE,
        /** A worker runs the steps; the command waits up to command-wait-timeout for the case's next wait. */
        UP_TO
    }

    /** Where cases are kept. */
    public static class Store {

        /**
         * Whether cases are kept in the application's DataSource when it has one (H2 or PostgreSQL). When false,
         * or without a DataSource, they are kept in the embedded H2 file under posunbind.store.directory.
         */
        private boolean useDataSource = true;

        /** The folder of the embedded H2 file, used when the application has no DataSource. */
        private Path directory = Path.of("posunbind-data");

        public boolean isUseDataSource() {
            return useDataSource;
        }

        public void setUseDataSource(boolean useDataSource) {
            this.useDataSource = useDataSource;
        }

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }
    }

    /** The keys that encrypt card, account, identity and phone numbers at rest. */
    public static class DataKeys {

        /**
         * The folder of the data keys (one file per key and a file naming the current one), kept apart from the
         * data, for example a mounted secret. Required with a DataSource; without one, the embedded store keeps
         * its keys in the folder keys inside posunbind.store.directory, fine for a try-out only.
         */
        private Path directory;

        /** Whether to create the folder, readable by its owner only, with a first key when it has none. */
        private boolean createIfMissing;

        public Path getDirectory() {
            return directory;
        }

        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        public boolean isCreateIfMissing() {
            return createIfMissing;
        }

        public void setCreateIfMissing(boolean createIfMissing) {
            this.createIfMissing = createIfMissing;
        }
    }

    /** The audit trail: every command, state change, provider call and refused callback, hash-chained and signed. */
    public static class Audit {

        /** Whether to keep the audit trail (in the application's DataSource or the embedded H2 file). */
        private boolean enabled;

        /** The folder of the Ed25519 keys that sign the trail's checkpoints; required when the trail is on. */
        private Path keyDirectory;

        /** Whether to create a first key pair in key-directory when it has none. */
        private boolean generateKeyIfMissing;

        /** The id of the key pair created by generate-key-if-missing. */
        private String keyId = "posunbind-audit-1";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Path getKeyDirectory() {
            return keyDirectory;
        }

        public void setKeyDirectory(Path keyDirectory) {
            this.keyDirectory = keyDirectory;
        }

        public boolean isGenerateKeyIfMissing() {
            return generateKeyIfMissing;
        }

        public void setGenerateKeyIfMissing(boolean generateKeyIfMissing) {
            this.generateKeyIfMissing = generateKeyIfMissing;
        }

        public String getKeyId() {
            return keyId;
        }

        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }
    }

    /** The worker that runs due cases: recorded commands, timers that fired, cases of instances that died. */
    public static class Worker {

        /** Whether this application runs a worker, started after the context and drained on shutdown. */
        private boolean enabled = true;

        /** Cases the worker runs at once (one thread each). */
        private int threads = 4;

        /** The pause after a look that found fewer due cases than the worker could take. */
        private Duration pollInterval = Duration.ofSeconds(5);

        /** Due cases taken per look. */
        private int batchSize = 100;

        /** How long shutdown lets running steps finish and store their result. */
        private Duration shutdownDeadline = Duration.ofSeconds(30);

        /** Whether to run cases on virtual threads when the JDK offers them (Java 21 and later). */
        private boolean virtualThreads = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getThreads() {
            return threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getShutdownDeadline() {
            return shutdownDeadline;
        }

        public void setShutdownDeadline(Duration shutdownDeadline) {
            this.shutdownDeadline = shutdownDeadline;
        }

        public boolean isVirtualThreads() {
            return virtualThreads;
        }

        public void setVirtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
        }
    }

    /** The HTTP endpoints: case commands as JSON, provider callbacks, the OpenAPI description. */
    public static class Web {

        /** Whether to serve the endpoints (needs Spring MVC). */
        private boolean enabled;

        /** The path under which the endpoints are served. */
        private String basePath = "/posunbind";

        /** The largest request body accepted, in bytes (64 KiB by default); a larger one is answered 413. */
        private int maxBodyBytes = 65536;   // HttpApiOptions.DEFAULT_MAX_BODY_BYTES, as a literal the metadata can show

        /**
         * The largest fleet file accepted by {@code POST <base-path>/batches}, in bytes (32 MiB by default, room for
         * the most rows a batch may have); a larger one is answered 413. Every other route keeps max-body-bytes.
         */
        private int maxBatchBodyBytes = 33554432;   // HttpApiOptions.DEFAULT_MAX_BATCH_BODY_BYTES

        /** Whether the case commands (open, documents, consent, decision, cancel, retry, find, get) are served. */
        private boolean commandsEnabled = true;

        /** Whether the provider callback endpoint is served. */
        private boolean callbacksEnabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        public int getMaxBodyBytes() {
            return maxBodyBytes;
        }

        public void setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public int getMaxBatchBodyBytes() {
            return maxBatchBodyBytes;
        }

        public void setMaxBatchBodyBytes(int maxBatchBodyBytes) {
            this.maxBatchBodyBytes = maxBatchBodyBytes;
        }

        public boolean isCommandsEnabled() {
            return commandsEnabled;
        }

        public void setCommandsEnabled(boolean commandsEnabled) {
            this.commandsEnabled = commandsEnabled;
        }

        public boolean isCallbacksEnabled() {
            return callbacksEnabled;
        }

        public void setCallbacksEnabled(boolean callbacksEnabled) {
            this.callbacksEnabled = callbacksEnabled;
        }
    }

    /** Micrometer metrics and observations, with posunbind-micrometer on the class path. */
    public static class Metrics {

        /**
         * Whether the unbinder records meters and observations into the application's MeterRegistry and
         * ObservationRegistry, and its case gauges are bound to them.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
