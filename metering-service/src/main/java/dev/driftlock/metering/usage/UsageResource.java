package dev.driftlock.metering.usage;

import dev.driftlock.platform.security.Caller;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;

@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
class UsageResource {

    static final int MAX_HISTORY_DAYS = 366;
    static final int DEFAULT_HISTORY_DAYS = 30;

    private final UsageService usage;
    private final JsonWebToken token;

    UsageResource(UsageService usage, JsonWebToken token) {
        this.usage = usage;
        this.token = token;
    }

    /** Usage, overage, estimated charges, thresholds reached and quota state of the current period. */
    @GET
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<UsageView> current() {
        return usage.current(Caller.of(token).orgId());
    }

    /** Daily anomalies and ingested events from {@code from} to {@code to} (ISO dates, UTC, inclusive; default the last 30 days). */
    @GET
    @Path("/history")
    @RolesAllowed({Caller.READ, Caller.ADMIN})
    public Uni<HistoryView> history(@QueryParam("from") String from, @QueryParam("to") String to) {
        String orgId = Caller.of(token).orgId();
        LocalDate end = to == null ? usage.today() : date("to", to);
        LocalDate start = from == null ? end.minusDays(DEFAULT_HISTORY_DAYS - 1) : date("from", from);
        if (start.isAfter(end)) {
            throw new InvalidHistoryRangeException("'from' (" + start + ") must not be after 'to' (" + end + ").");
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_HISTORY_DAYS) {
            throw new InvalidHistoryRangeException("The range spans more than " + MAX_HISTORY_DAYS + " days; ask for a shorter one.");
        }
        return usage.history(orgId, start, end);
    }

    private static LocalDate date(String name, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidHistoryRangeException("'" + name + "' must be an ISO date such as 2026-11-21, got '" + value + "'.");
        }
    }
}
