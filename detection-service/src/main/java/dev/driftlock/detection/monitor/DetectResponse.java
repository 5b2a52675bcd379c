package dev.driftlock.detection.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.UUID;

/**
 * The verdicts of a Monitor API request.
 *
 * @param calibration whether the detector had enough data: {@code ready}, or {@code calibrating} when some items got no verdict
 */
record DetectResponse(String requestId, String streamId, String kind, double sensitivity, Calibration calibration,
                      int anomalies, List<ItemVerdict> verdicts) {

    /**
     * @param status          {@code ready} or {@code calibrating}
     * @param warmupEvents    events an empty detector needs before its first verdict
     * @param calibratingItems items that got no verdict
     * @param why             plain-language status
     */
    record Calibration(String status, int warmupEvents, int calibratingItems, String why) {
    }

    /** One item's verdict; {@code anomalyId} for anomalies (the stored, billed anomaly). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ItemVerdict(int index, String status, double score, Double pValue, boolean anomaly, String why, Integer missing,
                       UUID anomalyId) {
    }
}
