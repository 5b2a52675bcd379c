package dev.driftlock.cbad.score;

import dev.driftlock.cbad.Evidence;
import dev.driftlock.cbad.InputKind;
import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.template.TemplateMiner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a flagged event of an {@link EventEngine} is about: its cause (the key that groups flags into
 * incidents), the cause in plain words, and the evidence (tokens the baseline never held, extreme
 * numeric values, the component p-values). Reads the state the components left for the last
 * scored event. Internal to the engine.
 */
final class EventEvidence {

    static final int MAX_NOVEL = 10;

    private final InputKind kind;
    private final CompressionModel model;
    private final NumericModel numeric;
    private final TemplateMiner templates;
    private final EventTokens tokens;
    private final EntityModel entities;
    private final TokenBursts bursts;

    EventEvidence(InputKind kind, CompressionModel model, NumericModel numeric, TemplateMiner templates,
                  EventTokens tokens, EntityModel entities, TokenBursts bursts) {
        this.kind = kind;
        this.model = model;
        this.numeric = numeric;
        this.templates = templates;
        this.tokens = tokens;
        this.entities = entities;
        this.bursts = bursts;
    }

    /** @return the component p-values by name */
    static Map<String, Double> components(double[] ps) {
        Map<String, Double> m = new java.util.TreeMap<>();
        for (int i = 0; i < ps.length; i++) {
            m.put(EventCalibration.COMPONENTS[i], ps[i]);
        }
        return m;
    }

    /** @return the evidence of a flagged event whose strongest component is {@code top} */
    Evidence evidence(CanonicalEvent e, int cost, double bits, int calibrationSize, double[] ps, int top) {
        List<String> novel = new ArrayList<>();
        if (kind == InputKind.TEXT && tokens.template != null && templates.template(
                Integer.parseInt(tokens.template.substring(1))) != null) {
            novel.add("template " + tokens.template + ": " + templates.template(Integer.parseInt(tokens.template.substring(1))));
        }
        String text = new String(e.analysed(), StandardCharsets.UTF_8);
        if (kind == InputKind.JSON) {
            for (String line : text.split("\n")) {
                if (line.isEmpty() || novel.size() >= MAX_NOVEL) {
                    continue;
                }
                int eq = line.indexOf('=');
                String key = eq > 0 ? line.substring(0, eq) : line;
                if (!model.dictionaryContains("\n" + key + "=")) {
                    novel.add("new field " + key);
                } else if (!model.dictionaryContains("\n" + line + "\n")) {
                    novel.add(line);
                }
            }
        } else {
            for (String token : text.split("\n")) {
                if (!token.isEmpty() && novel.size() < MAX_NOVEL && !model.dictionaryContains("\n" + token + "\n")) {
                    novel.add(token);
                }
            }
        }
        List<Evidence.NumericDeviation> nums = new ArrayList<>();
        for (int i = 0; i < e.numCount(); i++) {
            double s = numeric.surprisal(e.numKeys()[i], e.numValues()[i]);
            if (s >= 9.0 && nums.size() < MAX_NOVEL) {
                nums.add(new Evidence.NumericDeviation(e.numKeys()[i], e.numValues()[i],
                        numeric.median(e.numKeys()[i]), Double.NaN));
            }
        }
        return new Evidence(e.analysed().length, cost, bits, model.size(), calibrationSize, novel, nums,
                components(ps), cause(top), detail(top));
    }

    /** The cause of a flag: its strongest component and what it is about (groups incidents). */
    String cause(int top) {
        if (kind == InputKind.TEXT) {
            // a log line's cause is its template, whichever component saw it
            return "template:" + tokens.template;
        }
        return switch (top) {
            case 3 -> "context:" + entities.contextEntity + ":" + entities.contextField;
            case 4 -> "context_category:" + entities.categoricalEntity;
            case 5 -> "burst:" + entities.rateEntity.substring(0, entities.rateEntity.indexOf(" ("));
            case 6 -> "burst:" + burstToken();
            case 7 -> "echo";
            default -> EventCalibration.COMPONENTS[top];
        };
    }

    private String burstToken() {
        return bursts.topToken < 0 ? "" : tokens.text(bursts.topToken);
    }

    private String detail(int top) {
        return switch (top) {
            case 3 -> entities.contextField + " is unusual for " + entities.contextEntity;
            case 4 -> tokens.text(entities.categoricalToken) + " changed for " + entities.categoricalEntity
                    + ", constant over its history until now";
            case 5 -> "burst of " + entities.rateEntity;
            case 6 -> String.format(java.util.Locale.ROOT, "burst of the rare %s (%d of the last %d events, %.1f expected)",
                    burstToken(), bursts.topCount, TokenBursts.WINDOW, bursts.topExpected);
            case 7 -> "its rare values repeat those of an event just before it (a burst of one shape)";
            case 2 -> "rare values for this stream";
            case 1 -> "extreme numeric value";
            default -> "unusual content for this stream";
        };
    }
}
