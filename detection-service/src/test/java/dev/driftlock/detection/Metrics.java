package dev.driftlock.detection;

import static io.restassured.RestAssured.given;

/** Reads one sample of {@code /q/metrics} (Prometheus text format). */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The value of the sample {@code name} with exactly the given label text (e.g. {@code source="stream"},
     * or empty for none); 0 if the sample is not exported yet.
     */
    public static double value(String name, String labels) {
        String prefix = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).strip());
            }
        }
        return 0;
    }

    public static double value(String name) {
        return value(name, "");
    }

    /**
     * The value once it stopped moving (two reads 300 ms apart agree): a counter is incremented just
     * after the transaction whose effects a test waited for.
     */
    public static double settled(String name, String labels) {
        double previous = value(name, labels);
        while (true) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            double current = value(name, labels);
            if (current == previous) {
                return current;
            }
            previous = current;
        }
    }

    public static double settled(String name) {
        return settled(name, "");
    }
}
