package dev.driftlock.platform.problem;

/**
 * Base of every service's feature exceptions: each names its HTTP status, problem type slug and
 * title; {@link ProblemMapper} turns it into problem+json. The subclasses stay in their service
 * (billing's invalid webhook, detection's too-large batch...), which is the registration point:
 * extending this class is all a service does to get the shape.
 */
public abstract class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;

    protected ProblemException(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    /** This exception as the problem it answers for the request at {@code instance}. */
    public Problem toProblem(String instance) {
        return Problem.of(status, slug, title, getMessage(), instance);
    }
}
