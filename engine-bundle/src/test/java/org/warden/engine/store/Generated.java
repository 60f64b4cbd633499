package org.warden.engine.store;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import org.warden.api.Ban;
import org.warden.api.Check;
import org.warden.api.HealthMetrics;
import org.warden.api.Penalty;
import org.warden.api.PenaltyType;
import org.warden.api.policy.Horizon;
import org.warden.api.policy.Moments;
import org.warden.api.snapshot.WorkerSnapshot;

/**
 * Random ids, reasons, numbers and ban states for the round-trip properties: text of every kind (scripts written
 * right to left, combining marks, characters beyond the BMP, and every class Check refuses), and whole worker
 * records built from it with numbers at their edges (0, the smallest and largest doubles, 2^128 - 1, nanoseconds).
 */
final class Generated {

    private Generated() {
    }

    private static Arbitrary<String> range(int from, int to) {
        return Arbitraries.integers().between(from, to).map(Character::toString);
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<String> goodUnits() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, range(0x21, 0x7E)), // ASCII
                Tuple.of(3, Arbitraries.of(" ", "\u00A0", "\u3000")), // spaces
                Tuple.of(5, range(0x00C0, 0x024F)), // Latin letters with accents
                Tuple.of(5, range(0x0300, 0x036F)), // combining marks
                Tuple.of(5, range(0x05D0, 0x05EA)), // Hebrew (right to left)
                Tuple.of(5, range(0x0620, 0x064A)), // Arabic (right to left)
                Tuple.of(4, range(0x4E00, 0x9FFF)), // CJK
                Tuple.of(2, Arbitraries.of("\uFE0F", "\u034F", "\u2764")), // variation selector, CGJ, heart
                Tuple.of(5, range(0x1F300, 0x1F64F)), // astral emoji: surrogate pairs
                Tuple.of(3, range(0x20000, 0x2A6DF))); // astral CJK
    }

    /** What Check refuses: controls, a lone surrogate, bidi controls, invisible format characters, separators. */
    @SuppressWarnings("unchecked")
    private static Arbitrary<String> refusedUnits() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.oneOf(range(0x00, 0x1F), range(0x7F, 0x9F))),
                Tuple.of(3, Arbitraries.integers().between(0xD800, 0xDFFF).map(c -> String.valueOf((char) c.intValue()))),
                Tuple.of(3, Arbitraries.of(0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                        0x2067, 0x2068, 0x2069).map(Character::toString)),
                Tuple.of(3, Arbitraries.of(0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063,
                        0x2064, 0x206A, 0x206F, 0xFEFF, 0xE0001, 0xE0041, 0xE007F).map(Character::toString)),
                Tuple.of(2, Arbitraries.of("\u2028", "\u2029")));
    }

    /** Text of {@code min} to {@code max} units: half clean, half with about one refused unit in twenty. */
    @SuppressWarnings("unchecked")
    static Arbitrary<String> texts(int min, int max) {
        Arbitrary<String> clean = goodUnits().list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
        Arbitrary<String> dirty = Arbitraries.frequencyOf(Tuple.of(95, goodUnits()), Tuple.of(5, refusedUnits()))
                .list().ofMinSize(min).ofMaxSize(max).map(l -> String.join("", l));
        return Arbitraries.frequencyOf(Tuple.of(1, clean), Tuple.of(1, dirty));
    }

    static boolean accepted(Predicate<String> check, String s) {
        try {
            return check.test(s);
        } catch (IllegalArgumentException refused) {
            return false; // the refusal itself is Check's properties' business (api-bundle)
        }
    }

    static boolean isId(String s) {
        return accepted(v -> Check.id("workerId", v) != null, s);
    }

    static boolean isReason(String s) {
        return accepted(v -> Check.reason("reason", v) != null, s);
    }

    /** Ids Check accepts (the longest allowed are api-bundle's business: these stay short, for speed). */
    static Arbitrary<String> ids() {
        return texts(1, 60).filter(Generated::isId);
    }

    /** Reasons Check accepts. */
    static Arbitrary<String> reasons() {
        return texts(1, 100).filter(Generated::isReason);
    }

    /** A worker record with accepted text, numbers at their edges, and a random ban state. */
    static Arbitrary<WorkerSnapshot> snapshots() {
        return Combinators.combine(ids(), reasons().list().ofSize(6), ids().injectNull(0.3).list().ofSize(3),
                Arbitraries.randoms()).as(Generated::snapshot);
    }

    static Instant instant(Random r) {
        // 1970 to about 2223: every time a clock near now, plus a ban of at most 100 years, gives
        return Instant.ofEpochSecond(Math.floorMod(r.nextLong(), 8_000_000_000L), r.nextInt(1_000_000_000));
    }

    static double number(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> Double.MIN_VALUE;
            case 2 -> Double.MAX_VALUE;
            case 3 -> r.nextDouble();
            default -> Math.abs(r.nextGaussian()) * Math.pow(10, r.nextInt(40) - 20);
        };
    }

    static long count(Random r) {
        return r.nextInt(4) == 0 ? Long.MAX_VALUE : Math.floorMod(r.nextLong(), 1L << r.nextInt(63));
    }

    static BigInteger amount(Random r) {
        return r.nextInt(5) == 0 ? Check.TWO_POW_128.subtract(BigInteger.ONE) : new BigInteger(r.nextInt(129), r);
    }

    static HealthMetrics health(Random r) {
        return new HealthMetrics(count(r), r.nextInt(101), 100 * r.nextDouble(), r.nextDouble(), count(r),
                r.nextBoolean() ? null : number(r), r.nextBoolean() ? null : 100.0, r.nextBoolean() ? null : -40.5,
                count(r));
    }

    /** One of the ban states: for good, for a while (up to 100 years), automatic or not, lifted (past) or not. */
    static Ban ban(String workerId, String reason, String liftReason, Random r, boolean lifted) {
        Instant at = instant(r);
        Instant until = switch (r.nextInt(3)) {
            case 0 -> null;
            case 1 -> at.plus(Check.MAX_BAN_DURATION);
            default -> at.plusNanos(1 + Math.floorMod(r.nextLong(), Check.MAX_BAN_DURATION.toNanos()));
        };
        Ban ban = new Ban(workerId, reason, r.nextBoolean(), at, until, null, null);
        return lifted ? ban.lift(at.plus(Duration.ofSeconds(r.nextInt(1_000_000))), liftReason) : ban;
    }

    static WorkerSnapshot snapshot(String id, List<String> reasons, List<String> jobIds, Random r) {
        Instant first = instant(r);
        Instant last = first.plusNanos(Math.floorMod(r.nextLong(), 1_000_000_000_000_000L));
        Map<Horizon, Double> successes = new EnumMap<>(Horizon.class);
        Map<Horizon, Double> failures = new EnumMap<>(Horizon.class);
        for (Horizon h : Horizon.values()) {
            successes.put(h, number(r));
            failures.put(h, number(r));
        }
        Map<PenaltyType, Integer> counts = new EnumMap<>(PenaltyType.class);
        Map<PenaltyType, Double> severities = new EnumMap<>(PenaltyType.class);
        for (PenaltyType t : PenaltyType.values()) {
            counts.put(t, r.nextInt(Integer.MAX_VALUE));
            severities.put(t, number(r));
        }
        List<Penalty> penalties = new ArrayList<>();
        for (int i = 0; i < jobIds.size(); i++) {
            penalties.add(new Penalty(id, PenaltyType.values()[r.nextInt(PenaltyType.values().length)], r.nextDouble(),
                    reasons.get(i), jobIds.get(i), instant(r)));
        }
        Ban current = r.nextBoolean() ? null : ban(id, reasons.get(3), reasons.get(4), r, false);
        List<Ban> past = List.of(ban(id, reasons.get(4), reasons.get(5), r, true),
                ban(id, reasons.get(5), reasons.get(0), r, true));
        HealthMetrics health = r.nextBoolean() ? null : health(r);
        return new WorkerSnapshot(id, first, last, r.nextBoolean() ? null : instant(r), instant(r), count(r), count(r),
                successes, failures, r.nextInt(Integer.MAX_VALUE), r.nextInt(1000), moments(r), moments(r), moments(r),
                amount(r), health, health == null ? null : instant(r), counts, severities, r.nextInt(1000),
                r.nextInt(1000), current, penalties, past.subList(0, r.nextInt(3)));
    }

    private static Moments moments(Random r) {
        return new Moments(count(r), r.nextBoolean() ? -number(r) : number(r), number(r));
    }
}
