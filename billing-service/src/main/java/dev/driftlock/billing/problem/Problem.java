package dev.driftlock.billing.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answer ({@code application/problem+json}).
 *
 * @param type     URI naming the kind of problem
 * @param title    short summary of the kind
 * @param status   HTTP status
 * @param detail   what went wrong in this request, and how to fix it
 * @param instance the request path
 * @param errors   per-field errors, for validation problems
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    static final String TYPE_BASE = "https://driftlock.dev/problems/";

    /** One invalid field. */
    public record FieldError(String field, String message) {
    }
}
