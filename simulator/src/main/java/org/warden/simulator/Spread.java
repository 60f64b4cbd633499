package org.warden.simulator;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One figure over several seeds: the mean and the range (min–max). Undefined values (NaN, e.g. ban precision when
 * nobody was banned) are left out; if every value is undefined, all three are NaN and {@code defined} is 0.
 *
 * @param mean    mean of the defined values
 * @param min     smallest defined value
 * @param max     largest defined value
 * @param defined how many values were defined
 */
public record Spread(double mean, double min, double max, int defined) {

    public static Spread of(double... values) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                n++;
            }
        }
        return n == 0 ? new Spread(Double.NaN, Double.NaN, Double.NaN, 0) : new Spread(sum / n, min, max, n);
    }

    public static <T> Spread of(List<T> items, ToDoubleFunction<T> figure) {
        return of(items.stream().mapToDouble(figure).toArray());
    }
}
