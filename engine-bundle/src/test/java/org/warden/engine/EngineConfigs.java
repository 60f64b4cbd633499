package org.warden.engine;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Engine configurations for tests, made the way SCR makes them. */
final class EngineConfigs {

    private EngineConfigs() {
    }

    /**
     * An {@code EngineConfig} like SCR's: the annotation's defaults, overridden by {@code values}; a value that is a
     * {@link RuntimeException} is thrown when its method is called (as SCR throws when it cannot convert a value).
     */
    static EngineConfig config(Map<String, Object> values) {
        return (EngineConfig) Proxy.newProxyInstance(EngineConfig.class.getClassLoader(),
                new Class<?>[] { EngineConfig.class }, (proxy, method, args) -> {
                    Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
                    if (value instanceof RuntimeException e) {
                        throw e;
                    }
                    return value;
                });
    }
}
