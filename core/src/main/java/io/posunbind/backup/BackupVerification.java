package io.posunbind.backup;

import io.posunbind.CoreErrorCode;
import io.posunbind.spi.API;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of {@link BackupVault#verify}: every problem found, each with its position. A backup is
 * intact when there is none. Immutable.
 *
 * @param caseId           the case the backup was checked for
 * @param backupId         the backup's id
 * @param chunkCount       how many chunks the backup says it has
 * @param authenticChunks  how many stored chunks passed authentication
 * @param problems         every problem, whole-backup problems first, then by position
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record BackupVerification(String caseId, String backupId, int chunkCount, int authenticChunks,
        List<BackupProblem> problems) {

    /** Checks and copies the fields. */
    public BackupVerification {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(backupId, "backupId");
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
    }

    /** Whether the backup is complete, in order, unchanged and sealed for this case. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /** The problems of one kind. */
    public List<BackupProblem> problems(BackupProblem.Kind kind) {
        return problems.stream().filter(problem -> problem.kind() == kind).toList();
    }

    /**
     * The code that best describes the problems: an unknown key, then the wrong case, then tampering, then
     * a malformed backup. Empty problems have no code.
     */
    CoreErrorCode errorCode() {
        List<CoreErrorCode> order = List.of(CoreErrorCode.DATA_KEY_UNKNOWN, CoreErrorCode.BACKUP_WRONG_CASE,
                CoreErrorCode.BACKUP_TAMPERED, CoreErrorCode.BACKUP_MALFORMED);
        for (CoreErrorCode code : order) {
            if (problems.stream().anyMatch(problem -> problem.kind().errorCode() == code)) {
                return code;
            }
        }
        throw new IllegalStateException("an intact backup has no error code");
    }

    /** One line for people: "intact" or the problems joined. */
    public String summary() {
        if (intact()) {
            return "backup " + backupId + " is intact: " + chunkCount + " chunk(s) authenticated";
        }
        return "backup " + backupId + " has " + problems.size() + " problem(s): "
                + problems.stream().map(BackupProblem::message).collect(Collectors.joining("; "));
    }
}
