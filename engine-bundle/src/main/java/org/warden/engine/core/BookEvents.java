package org.warden.engine.core;

import java.util.HashMap;
import java.util.Map;

import org.warden.api.Ban;
import org.warden.api.Penalty;
import org.warden.api.PendingBan;
import org.warden.api.WardenEvents;

/**
 * The engine's events, built from what happened: the one place that knows the topics and their properties
 * ({@link WardenEvents}). Changes only when an event or its properties change.
 */
final class BookEvents {

    private final EventSink sink;

    BookEvents(EventSink sink) {
        this.sink = sink;
    }

    void penalized(Penalty p) {
        Map<String, Object> props = new HashMap<>();
        props.put(WardenEvents.WORKER_ID, p.workerId());
        props.put(WardenEvents.PENALTY_TYPE, p.type().name());
        props.put(WardenEvents.SEVERITY, p.severity());
        props.put(WardenEvents.REASON, p.reason());
        if (p.jobId() != null) {
            props.put(WardenEvents.JOB_ID, p.jobId());
        }
        sink.post(WardenEvents.TOPIC_PENALIZED, props);
    }

    void banPending(PendingBan pb) {
        Map<String, Object> props = new HashMap<>();
        props.put(WardenEvents.WORKER_ID, pb.workerId());
        props.put(WardenEvents.REASON, pb.reason());
        props.put(WardenEvents.POLICY_NAME, pb.policyName());
        sink.post(WardenEvents.TOPIC_BAN_PENDING, props);
    }

    void banned(Ban ban) {
        Map<String, Object> props = new HashMap<>();
        props.put(WardenEvents.WORKER_ID, ban.workerId());
        props.put(WardenEvents.REASON, ban.reason());
        props.put(WardenEvents.AUTOMATIC, ban.automatic());
        if (ban.until() != null) {
            props.put(WardenEvents.UNTIL, ban.until().toString());
        }
        sink.post(WardenEvents.TOPIC_BANNED, props);
    }

    void unbanned(String workerId, String reason) {
        sink.post(WardenEvents.TOPIC_UNBANNED, Map.of(WardenEvents.WORKER_ID, workerId, WardenEvents.REASON, reason));
    }
}
