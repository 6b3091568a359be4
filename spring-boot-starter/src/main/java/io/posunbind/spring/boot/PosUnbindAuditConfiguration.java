package io.posunbind.spring.boot;

import io.posunbind.audit.AuditKeyProvider;
import io.posunbind.audit.AuditStore;
import io.posunbind.audit.AuditTrail;
import io.posunbind.audit.FileAuditKeyProvider;
import io.posunbind.audit.JdbcAuditStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail, with {@code posunbind.audit.enabled=true}: records in the application's DataSource (or the
 * embedded H2 file), checkpoints signed with the Ed25519 keys of {@code posunbind.audit.key-directory}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "posunbind.audit", name = "enabled", havingValue = "true")
class PosUnbindAuditConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AuditKeyProvider posUnbindAuditKeys(PosUnbindProperties properties) {
        PosUnbindProperties.Audit audit = properties.getAudit();
        Path directory = audit.getKeyDirectory();
        if (directory == null) {
            throw new IllegalStateException("posunbind.audit.enabled=true needs posunbind.audit.key-directory: the"
                    + " folder of the Ed25519 keys that sign the trail (or declare an AuditKeyProvider bean)");
        }
        if (audit.isGenerateKeyIfMissing() && !hasPrivateKey(directory)) {
            return FileAuditKeyProvider.generate(directory, audit.getKeyId());
        }
        return FileAuditKeyProvider.open(directory);
    }

    @Bean
    @ConditionalOnMissingBean
    AuditStore posUnbindAuditStore(PosUnbindProperties properties, ObjectProvider<DataSource> dataSources) {
        DataSource dataSource = properties.getStore().isUseDataSource() ? dataSources.getIfUnique() : null;
        return dataSource != null ? JdbcAuditStore.create(dataSource)
                : JdbcAuditStore.h2File(properties.getStore().getDirectory());
    }

    @Bean
    @ConditionalOnMissingBean
    AuditTrail posUnbindAuditTrail(AuditStore store, AuditKeyProvider keys) {
        return AuditTrail.builder().store(store).keys(keys).build();
    }

    private static boolean hasPrivateKey(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString()
                    .endsWith(FileAuditKeyProvider.PRIVATE_KEY_SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the audit key folder " + directory, e);
        }
    }
}
