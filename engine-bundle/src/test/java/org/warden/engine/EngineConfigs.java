package org.warden.engine;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Engine configurations for tests, made the way SCR makes them. */
final class EngineConfigs {

    private EngineConfigs() {
    }

    /**
     * A {@code Config} like SCR's: the annotation's defaults, overridden by {@code values}; a value that is a
     * {@link RuntimeException} is thrown when its method is called (as SCR throws when it cannot convert a value).
     */
    static WardenEngine.Config config(Map<String, Object> values) {
        return (WardenEngine.Config) Proxy.newProxyInstance(WardenEngine.Config.class.getClassLoader(),
                new Class<?>[] { WardenEngine.Config.class }, (proxy, method, args) -> {
                    Object value = values.getOrDefault(method.getName(), method.getDefaultValue());
                    if (value instanceof RuntimeException e) {
                        throw e;
                    }
                    return value;
                });
    }
}
