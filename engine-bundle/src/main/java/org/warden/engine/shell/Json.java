package org.warden.engine.shell;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The shell's JSON: API value types only (records of org.warden.api*), instants as ISO-8601 text, amounts as
 * exact integers. A new mapper per command: the shell runs a command now and then, and no mapper (with its
 * caches of classes) outlives the command.
 */
final class Json {
    private Json() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }
}
