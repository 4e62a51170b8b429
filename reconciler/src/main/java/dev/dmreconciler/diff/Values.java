package dev.dmreconciler.diff;

/** How a parameter value is shown in a report. */
final class Values {

    private Values() {
    }

    static String show(String value) {
        return value == null ? "(unset)" : "'" + value + "'";
    }
}
