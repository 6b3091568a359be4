package io.posunbind.backup;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import io.posunbind.spi.ErrorCode;
import io.posunbind.spi.PosUnbindException;
import java.util.Optional;

/**
 * A backup cannot be read or verified. The code says why ({@link CoreErrorCode#BACKUP_TAMPERED},
 * {@link CoreErrorCode#BACKUP_MALFORMED}, {@link CoreErrorCode#BACKUP_WRONG_CASE},
 * {@link CoreErrorCode#DATA_KEY_UNKNOWN}, {@link CoreErrorCode#BACKUP_UNVERIFIED}) and, where the backup
 * was examined, {@link #verification()} lists every problem by position. Messages never hold content.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class BackupException extends PosUnbindException {

    private static final long serialVersionUID = 1L;

    private final transient BackupVerification verification;

    /**
     * @param code         the stable code
     * @param message      what is wrong and what to do
     * @param verification the full report, or {@code null} when the backup could not be examined
     */
    public BackupException(ErrorCode code, String message, BackupVerification verification) {
        super(code, message);
        this.verification = verification;
    }

    /** The verification report, when the backup could be examined. */
    public Optional<BackupVerification> verification() {
        return Optional.ofNullable(verification);
    }
}
