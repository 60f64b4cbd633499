package org.warden.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import org.warden.simulator.model.Scenario;

/**
 * The JSON of one experiment: the per-policy summaries over the seeds (mean, min, max of each figure) and every
 * policy's figures per seed. An undefined figure (NaN: ban precision with no ban, a window outside the run) is
 * written as {@code null}, which every JSON reader accepts.
 */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule().addSerializer(Double.class, new NanAsNull())
                    .addSerializer(double.class, new NanAsNull()));

    private JsonReport() {
    }

    public static void write(Path file, ExperimentResult x) throws IOException {
        write(file, x, null);
    }

    /** With {@code whatif} (null for none) under the key "whatif". */
    public static void write(Path file, ExperimentResult x, WhatIf.Result whatif) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Map<String, Object> doc = document(x);
        if (whatif != null) {
            doc.put("whatif", whatif(whatif));
        }
        JSON.writeValue(file.toFile(), doc);
    }

    public static String text(ExperimentResult x) throws IOException {
        return JSON.writeValueAsString(document(x));
    }

    private static Map<String, Object> document(ExperimentResult x) {
        Scenario s = x.scenario();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", s.name());
        doc.put("description", s.description());
        doc.put("fileSeed", s.seed());
        doc.put("seeds", x.seeds());
        doc.put("jobs", s.jobs());
        doc.put("workers", s.workerCount());
        doc.put("events", s.events().stream().map(Scenario.Event::label).toList());
        doc.put("requested", x.requested().stream().map(Strategy::cliName).toList());
        doc.put("spread", "mean, min and max over the seeds");
        doc.put("summaries", x.summaries());
        doc.put("runs", x.runs());
        doc.put("seconds", x.seconds());
        return doc;
    }

    private static Map<String, Object> whatif(WhatIf.Result w) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("recorded", w.recorded().cliName());
        doc.put("candidates", w.candidates().stream().map(Strategy::cliName).toList());
        doc.put("seeds", w.seeds());
        doc.put("jobs", w.scenario().jobs());
        doc.put("rows", w.rows());
        return doc;
    }

    private static final class NanAsNull extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value == null || value.isNaN() || value.isInfinite()) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }
}
