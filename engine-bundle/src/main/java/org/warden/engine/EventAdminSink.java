package org.warden.engine;

import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.warden.engine.core.EventSink;

/** Posts the engine's events to EventAdmin when one is bound (asynchronously), and to an optional extra sink. */
final class EventAdminSink implements EventSink {

    private final EventSink extra;
    private volatile EventAdmin eventAdmin;

    EventAdminSink(EventSink extra) {
        this.extra = extra;
    }

    void set(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unset(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
        extra.post(topic, properties);
    }
}
