package dev.driftlock.cbad.score;

import dev.driftlock.cbad.Verdict;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

/**
 * One stream's detection state behind {@link dev.driftlock.cbad.Detector}. Internal to the engine.
 */
public interface StreamEngine extends AutoCloseable {

    /**
     * @param event raw event
     * @return its verdict
     */
    Verdict score(String event);

    /** @return event time (epoch ms) of the last scored event, or {@link Long#MIN_VALUE} when it had none */
    default long lastEventTime() {
        return Long.MIN_VALUE;
    }

    /**
     * Feedback: events of this cause are normal (see {@link dev.driftlock.cbad.Detector#markNormal}).
     *
     * @param cause the cause of a reported incident
     * @return whether the stream learned anything
     */
    boolean markNormal(String cause);

    /** @param alpha new alarm level (state kept) */
    void setAlpha(double alpha);

    /** @param filter new field filter */
    void setFilter(FieldFilter filter);

    /** @param out state sink */
    void write(StateOutput out);

    /** @param in state source */
    void read(StateInput in);

    @Override
    void close();
}
