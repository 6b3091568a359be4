package io.posunbind.internal.limits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The share table of one database, in memory, for tests of the even split; can be made unreachable. */
final class InMemoryLimitBoard implements LimitBoard {

    /** scope ("provider" or "provider OPERATION"), then instance id: {heartbeat, paused until}. */
    private final Map<String, Map<String, Instant[]>> rows = new TreeMap<>();
    private boolean unreachable;

    synchronized void unreachable(boolean down) {
        unreachable = down;
    }

    @Override
    public synchronized List<ShareRow> beat(LimitScope scope, String instanceId, Instant now, Instant forgetBefore) {
        check();
        Map<String, Instant[]> ofProvider = rows.computeIfAbsent(scope.toString(), key -> new TreeMap<>());
        ofProvider.computeIfAbsent(instanceId, key -> new Instant[] {now, Instant.EPOCH})[0] = now;
        ofProvider.values().removeIf(row -> row[0].isBefore(forgetBefore) && row[1].isBefore(now));
        List<ShareRow> read = new ArrayList<>();
        ofProvider.forEach((id, row) -> read.add(new ShareRow(id, row[0], row[1])));
        return read;
    }

    @Override
    public synchronized void pause(LimitScope scope, String instanceId, Instant until, Instant now) {
        check();
        Instant[] row = rows.computeIfAbsent(scope.toString(), key -> new TreeMap<>())
                .computeIfAbsent(instanceId, key -> new Instant[] {now, Instant.EPOCH});
        if (until.isAfter(row[1])) {
            row[1] = until;
        }
    }

    @Override
    public synchronized void leave(String instanceId, Instant heartbeatAt) {
        check();
        rows.values().forEach(ofProvider -> {
            Instant[] row = ofProvider.get(instanceId);
            if (row != null && row[0].isAfter(heartbeatAt)) {
                row[0] = heartbeatAt;
            }
        });
    }

    private void check() {
        if (unreachable) {
            throw new IllegalStateException("database unreachable");
        }
    }
}
