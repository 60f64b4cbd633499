package org.warden.engine.core;

import java.util.Map;

/** Where the engine's events go (EventAdmin in OSGi; a list in tests; nowhere when no EventAdmin is present). */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = (topic, properties) -> { };

    /** Posts asynchronously; must not throw. */
    void post(String topic, Map<String, Object> properties);
}
