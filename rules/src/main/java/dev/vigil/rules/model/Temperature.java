package dev.vigil.rules.model;

/**
 * A temperature sensor of a sample, in °C. {@code high} and {@code critical} are the sensor's own limits, or
 * {@code null} when it reports none.
 */
public record Temperature(String sensor, String label, double current, Double high, Double critical) {
    /** Names the sensor in a message and an incident key: {@code coretemp/Package id 0}. */
    public String name() {
        return label.isEmpty() ? sensor : sensor + "/" + label;
    }
}
