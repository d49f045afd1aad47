package dev.switchboard.support;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the Prometheus exposition of the running gateway. */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? ([0-9.eE+-]+|NaN)( # \\{.*)?$");

    private Metrics() {
    }

    public static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of every sample of a metric whose labels include all the given ones (0 when absent). */
    public static double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : scrape().split("\n")) {
            Matcher matcher = SAMPLE.matcher(line.trim());
            if (!matcher.matches() || !matcher.group(1).equals(name)) {
                continue;
            }
            String labelText = matcher.group(3) == null ? "" : matcher.group(3);
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all && !matcher.group(4).equals("NaN")) {
                sum += Double.parseDouble(matcher.group(4));
            }
        }
        return sum;
    }

    public static double value(String name) {
        return value(name, Map.of());
    }
}
