package dev.driftlock.notification.problem;

/**
 * Base of the service's feature exceptions: each names its HTTP status, problem type slug and
 * title; {@link ProblemMapper} turns it into problem+json.
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
}
