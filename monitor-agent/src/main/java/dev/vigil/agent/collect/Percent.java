package dev.vigil.agent.collect;

/** psutil's {@code usage_percent(used, total, round_=1)}: 0 when the total is 0, rounded to one decimal. */
final class Percent {
    private Percent() {
    }

    static double of(double part, double total) {
        if (total <= 0) {
            return 0.0;
        }
        return round1(part / total * 100.0);
    }

    static double round1(double value) {
        return Math.round(value * 10.0) / 10.0;
    }
}
