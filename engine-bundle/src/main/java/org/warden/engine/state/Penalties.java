package org.warden.engine.state;

import java.util.List;

import org.warden.api.Penalty;
import org.warden.api.PenaltyType;

/**
 * A worker's penalty statistics, packed: per penalty type its count and decayed severity (only for the types it has
 * had), and the most recent penalties, newest first, bounded (the full history belongs to the durable store). Part of
 * a {@link WorkerRecord}, changed only on the record's private copy. Changes when what is kept of penalties changes.
 */
final class Penalties {

    static {
        if (PenaltyType.values().length > Integer.SIZE) {
            throw new AssertionError("penalty type mask needs more than 32 bits");
        }
    }

    /** Bit {@code t} set: penalty type of ordinal {@code t} has an entry in {@link #data}. */
    private int mask;
    /**
     * Per penalty type with an entry, in ordinal order: count (as a double, exact), decayed severity. Null while the
     * mask is 0: every count and severity is then 0. Never shared between instances that change.
     */
    private double[] data;
    /**
     * Recent penalties, newest first, packed: for penalty {@code i}, {@code [3i]} type, {@code [3i+1]} reason,
     * {@code [3i+2]} job id. Null when none. Immutable once set (a new penalty replaces the arrays), so copies share
     * them.
     */
    private Object[] refs;
    /** For penalty {@code i}: {@code [2i]} instant (epoch nanoseconds), {@code [2i+1]} severity bits. */
    private long[] values;

    Penalties copy() {
        Penalties c = new Penalties();
        c.mask = mask;
        c.data = data == null ? null : data.clone();
        c.refs = refs;
        c.values = values;
        return c;
    }

    /** Counts {@code penalty} and keeps it first among the recent ones, at most {@code historySize}. */
    void record(Penalty penalty, int historySize) {
        int j = slot(penalty.type().ordinal());
        data[2 * j] += 1;
        data[2 * j + 1] += penalty.severity();
        int n = values == null ? 0 : values.length / 2;
        int size = Math.max(1, Math.min(n + 1, historySize));
        Object[] r = new Object[3 * size];
        long[] v = new long[2 * size];
        pack(penalty, r, v, 0, "penalty.at");
        if (size > 1) {
            System.arraycopy(refs, 0, r, 3, 3 * (size - 1));
            System.arraycopy(values, 0, v, 2, 2 * (size - 1));
        }
        refs = r;
        values = v;
    }

    /** Sets a type's count and decayed severity (a record rebuilt from a snapshot); zeros leave no entry. */
    void set(PenaltyType type, int count, double severity) {
        if (count != 0 || Double.doubleToRawLongBits(severity) != 0) {
            int j = slot(type.ordinal());
            data[2 * j] = count;
            data[2 * j + 1] = severity;
        }
    }

    /** Sets the recent penalties, newest first (a record rebuilt from a snapshot). */
    void setRecent(List<Penalty> penalties) {
        if (penalties.isEmpty()) {
            return;
        }
        int n = penalties.size();
        Object[] r = new Object[3 * n];
        long[] v = new long[2 * n];
        for (int i = 0; i < n; i++) {
            pack(penalties.get(i), r, v, i, "recentPenalties[" + i + "].at");
        }
        refs = r;
        values = v;
    }

    /** Multiplies every decayed severity by {@code factor}. */
    void decay(double factor) {
        if (data != null) {
            for (int i = 1; i < data.length; i += 2) {
                data[i] *= factor;
            }
        }
    }

    /** The index in {@link #data} (in pairs) of penalty type {@code t}, adding a zero entry if needed. */
    private int slot(int t) {
        int j = Integer.bitCount(mask & ((1 << t) - 1));
        if ((mask & (1 << t)) == 0) {
            double[] old = data == null ? new double[0] : data;
            double[] d = new double[old.length + 2];
            System.arraycopy(old, 0, d, 0, 2 * j);
            System.arraycopy(old, 2 * j, d, 2 * j + 2, old.length - 2 * j);
            data = d;
            mask |= 1 << t;
        }
        return j;
    }

    private static void pack(Penalty p, Object[] refs, long[] values, int i, String field) {
        refs[3 * i] = p.type();
        refs[3 * i + 1] = p.reason();
        refs[3 * i + 2] = p.jobId();
        values[2 * i] = EpochNanos.of(field, p.at());
        values[2 * i + 1] = Double.doubleToRawLongBits(p.severity());
    }

    // ---- reads ----

    /** Whether no penalty was ever counted or kept: a record then holds no {@code Penalties} at all. */
    boolean isEmpty() {
        return mask == 0 && values == null;
    }

    int count(PenaltyType type) {
        int t = type.ordinal();
        if ((mask & (1 << t)) == 0) {
            return 0;
        }
        return (int) data[2 * Integer.bitCount(mask & ((1 << t) - 1))];
    }

    double severity(PenaltyType type) {
        int t = type.ordinal();
        if ((mask & (1 << t)) == 0) {
            return 0;
        }
        return data[2 * Integer.bitCount(mask & ((1 << t) - 1)) + 1];
    }

    long total() {
        long n = 0;
        if (data != null) {
            for (int i = 0; i < data.length; i += 2) {
                n += (int) data[i];
            }
        }
        return n;
    }

    /** Newest first, bounded. */
    List<Penalty> recent(String workerId) {
        if (values == null) {
            return List.of();
        }
        int n = values.length / 2;
        Penalty[] out = new Penalty[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Penalty(workerId, (PenaltyType) refs[3 * i], Double.longBitsToDouble(values[2 * i + 1]),
                    (String) refs[3 * i + 1], (String) refs[3 * i + 2], EpochNanos.instant(values[2 * i]));
        }
        return List.of(out);
    }
}
