package io.posunbind.micrometer;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** Writes down every observation as it stops, as a line: name, contextual name, key values, parent. */
final class RecordedObservations implements ObservationHandler<Observation.Context> {

    private final List<String> stopped = Collections.synchronizedList(new ArrayList<>());

    @Override
    public boolean supportsContext(Observation.Context context) {
        return true;
    }

    @Override
    public void onStop(Observation.Context context) {
        Observation.ContextView parent = context.getParentObservation() == null ? null
                : context.getParentObservation().getContextView();
        stopped.add(context.getName() + " '" + context.getContextualName() + "' low" + keys(context.getLowCardinalityKeyValues())
                + " high" + keys(context.getHighCardinalityKeyValues())
                + " parent=" + (parent == null ? "-" : parent.getName()));
    }

    List<String> lines() {
        synchronized (stopped) {
            return List.copyOf(stopped);
        }
    }

    private static String keys(Iterable<KeyValue> values) {
        return StreamSupport.stream(values.spliterator(), false).sorted()
                .map(value -> value.getKey() + "=" + value.getValue()).collect(Collectors.joining(",", "{", "}"));
    }
}
