package dev.driftlock.detection.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Monitor API request.
 *
 * @param requestId     makes retries safe: the same id gives the same anomaly ids (stored and billed once); generated if absent
 * @param streamId      label the anomalies are stored under (default {@code monitor})
 * @param kind          JSON, TEXT or NUMERIC; inferred from the first item if absent (object: JSON, string: TEXT, number or
 *                      list of numbers: NUMERIC)
 * @param sensitivity   0..1; default the stream's/org's setting
 * @param includeFields fields to analyse (default the stream's setting, else all)
 * @param excludeFields fields never analysed
 * @param baseline      known-normal events, oldest first (optional)
 * @param items         events or points to score, in order
 */
record DetectRequest(String requestId, String streamId, String kind, Double sensitivity, List<String> includeFields,
                     List<String> excludeFields, List<JsonNode> baseline, List<JsonNode> items) {
}
