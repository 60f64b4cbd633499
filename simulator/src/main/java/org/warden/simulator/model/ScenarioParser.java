package org.warden.simulator.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and validates scenario JSON (schema in SCENARIOS.md). Every error is a {@link ScenarioException} whose
 * message names the field by its path, e.g. {@code groups[1].count must be at least 1, was 0}.
 */
public final class ScenarioParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP = Set.of("name", "description", "seed", "jobs", "biddersPerJob",
            "verificationRate", "jobIntervalMs", "groups", "events");
    private static final Set<String> GROUP = Set.of("name", "count", "behaviour", "successProbability", "speedMs",
            "bidAmount", "invalidRate", "goodJobs", "badJobs", "rejoinDelayJobs", "joinAtJob");
    private static final Set<String> EVENT = Set.of("type", "atJob", "durationJobs", "share", "group",
            "successProbability");
    private static final String EVENT_TYPES = "outage, drift, group-failure";

    private ScenarioParser() {
    }

    public static Scenario parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ScenarioException e) {
            throw new ScenarioException(file + ": " + e.getMessage(), e);
        }
    }

    public static Scenario parse(String json) {
        try {
            return parse(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    /**
     * Reads the scenario from {@code in} as it streams (the caller bounds and closes it), for a reader that must not
     * take a whole file into memory first.
     */
    public static Scenario parse(InputStream in) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new ScenarioException("cannot read: " + e.getMessage(), e);
        }
        return parse(root);
    }

    private static ScenarioException notJson(JsonProcessingException e) {
        return new ScenarioException("not valid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
    }

    private static Scenario parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ScenarioException("the scenario must be a JSON object");
        }
        known(root, TOP, "");
        String name = text(root, "name", "", true);
        String description = text(root, "description", "", false);
        long seed = integer(root, "seed", "", null, Long.MIN_VALUE, Long.MAX_VALUE);
        int jobs = (int) integer(root, "jobs", "", null, 1, 100_000_000);
        int bidders = (int) integer(root, "biddersPerJob", "", 10L, 1, 100_000);
        double verification = number(root, "verificationRate", "", 0.2, 0, 1);
        long interval = integer(root, "jobIntervalMs", "", 1000L, 1, 86_400_000);
        JsonNode g = root.get("groups");
        if (g == null || !g.isArray() || g.isEmpty()) {
            throw new ScenarioException("groups is required: a non-empty array of worker groups");
        }
        List<Scenario.Group> groups = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            groups.add(group(g.get(i), "groups[" + i + "]"));
        }
        for (int i = 0; i < groups.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (groups.get(i).name().equals(groups.get(j).name())) {
                    throw new ScenarioException("groups[" + i + "].name '" + groups.get(i).name()
                            + "' is already used by groups[" + j + "]");
                }
            }
        }
        List<Scenario.Event> events = new ArrayList<>();
        JsonNode e = root.get("events");
        if (e != null && !e.isNull()) {
            if (!e.isArray()) {
                throw new ScenarioException("events must be an array");
            }
            for (int i = 0; i < e.size(); i++) {
                Scenario.Event ev = event(e.get(i), "events[" + i + "]");
                if (ev.group() != null && groups.stream().noneMatch(x -> x.name().equals(ev.group()))) {
                    throw new ScenarioException("events[" + i + "].group '" + ev.group() + "' names no group");
                }
                events.add(ev);
            }
        }
        return new Scenario(name, description, seed, jobs, bidders, verification, interval, groups, events);
    }

    private static Scenario.Group group(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new ScenarioException(path + " must be an object");
        }
        known(n, GROUP, path + ".");
        String name = text(n, "name", path + ".", true);
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ScenarioException(path + ".name must be 1-64 letters, digits, '.', '_' or '-', was '" + name + "'");
        }
        int count = (int) integer(n, "count", path + ".", null, 1, 1_000_000);
        String bt = text(n, "behaviour", path + ".", true);
        Behaviour b = Behaviour.parse(bt);
        if (b == null) {
            StringBuilder allowed = new StringBuilder();
            for (Behaviour x : Behaviour.values()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(x.fileName());
            }
            throw new ScenarioException(path + ".behaviour '" + bt + "' is not one of: " + allowed);
        }
        double[] p = probability(n, path + ".", b.defaultSuccessProbability());
        long speed = integer(n, "speedMs", path + ".", b.defaultSpeedMs(), 1, 86_400_000);
        long bid = integer(n, "bidAmount", path + ".", b == Behaviour.CHEAP_BIDDER ? 30L : 100L, 0, Long.MAX_VALUE / 4);
        double invalid = number(n, "invalidRate", path + ".", 1.0, 0, 1);
        int good = (int) integer(n, "goodJobs", path + ".", 20L, 1, 1_000_000);
        int bad = (int) integer(n, "badJobs", path + ".", 5L, 1, 1_000_000);
        int rejoin = (int) integer(n, "rejoinDelayJobs", path + ".", 100L, 0, 100_000_000);
        int join = (int) integer(n, "joinAtJob", path + ".", 0L, 0, 100_000_000);
        return new Scenario.Group(name, count, b, p[0], speed, bid, invalid, good, bad, rejoin, join, p[1]);
    }

    /** A number in [0, 1] or a range {@code [lo, hi]} with 0 ≤ lo ≤ hi ≤ 1; returns {lo, hi}. */
    private static double[] probability(JsonNode n, String prefix, double dflt) {
        JsonNode v = n.get("successProbability");
        if (v == null || !v.isArray()) {
            double x = number(n, "successProbability", prefix, dflt, 0, 1);
            return new double[] {x, x};
        }
        String field = prefix + "successProbability";
        if (v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
            throw new ScenarioException(field + " must be a number or a range [lo, hi] of two numbers, was " + v);
        }
        double lo = v.get(0).asDouble();
        double hi = v.get(1).asDouble();
        if (!(lo >= 0 && hi <= 1 && lo <= hi)) {
            throw new ScenarioException(field + " range must have 0 <= lo <= hi <= 1, was " + v);
        }
        return new double[] {lo, hi};
    }

    private static Scenario.Event event(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new ScenarioException(path + " must be an object");
        }
        known(n, EVENT, path + ".");
        String p = path + ".";
        String type = text(n, "type", p, true);
        int at = (int) integer(n, "atJob", p, null, 0, 100_000_000);
        String group = n.hasNonNull("group") ? text(n, "group", p, true) : null;
        return switch (type) {
            case Scenario.Event.OUTAGE -> {
                refuse(n, p, type, "successProbability");
                int duration = (int) integer(n, "durationJobs", p, null, 1, 100_000_000);
                yield new Scenario.Event(type, at, duration, share(n, p, null), group);
            }
            case Scenario.Event.DRIFT -> {
                int duration = (int) integer(n, "durationJobs", p, 0L, 1, 100_000_000);
                double to = number(n, "successProbability", p, null, 0, 1);
                yield new Scenario.Event(type, at, duration, share(n, p, 1.0), group, to);
            }
            case Scenario.Event.GROUP_FAILURE -> {
                refuse(n, p, type, "successProbability");
                refuse(n, p, type, "share");
                if (group == null) {
                    throw new ScenarioException(p + "group is required for a group-failure");
                }
                int duration = (int) integer(n, "durationJobs", p, 0L, 1, 100_000_000);
                yield new Scenario.Event(type, at, duration, 1.0, group, Double.NaN);
            }
            default -> throw new ScenarioException(p + "type '" + type + "' is not one of: " + EVENT_TYPES);
        };
    }

    private static double share(JsonNode n, String prefix, Double dflt) {
        double share = number(n, "share", prefix, dflt, 0, 1);
        if (share == 0) {
            throw new ScenarioException(prefix + "share must be in (0, 1], was 0");
        }
        return share;
    }

    private static void refuse(JsonNode n, String prefix, String type, String field) {
        if (n.has(field)) {
            throw new ScenarioException(prefix + field + " is not a field of an event of type " + type);
        }
    }

    private static void known(JsonNode n, Set<String> allowed, String prefix) {
        Iterator<String> it = ((ObjectNode) n).fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new ScenarioException(prefix + f + " is not a known field (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode n, String field, String prefix, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ScenarioException(prefix + field + " is required");
            }
            return "";
        }
        if (!v.isTextual() || (required && v.asText().isBlank())) {
            throw new ScenarioException(prefix + field + " must be a non-blank string, was " + v);
        }
        return v.asText();
    }

    private static long integer(JsonNode n, String field, String prefix, Long dflt, long min, long max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new ScenarioException(prefix + field + " is required");
            }
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ScenarioException(prefix + field + " must be an integer, was " + v);
        }
        long x = v.asLong();
        if (x < min || x > max) {
            throw new ScenarioException(prefix + field + " must be in [" + min + ", " + max + "], was " + x);
        }
        return x;
    }

    private static double number(JsonNode n, String field, String prefix, Double dflt, double min, double max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new ScenarioException(prefix + field + " is required");
            }
            return dflt;
        }
        if (!v.isNumber()) {
            throw new ScenarioException(prefix + field + " must be a number, was " + v);
        }
        double x = v.asDouble();
        if (!(x >= min && x <= max)) {
            throw new ScenarioException(prefix + field + " must be in [" + min + ", " + max + "], was " + x);
        }
        return x;
    }
}
