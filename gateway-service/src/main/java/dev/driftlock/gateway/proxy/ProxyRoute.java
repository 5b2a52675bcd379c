package dev.driftlock.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.org.CallerResolver;
import dev.driftlock.platform.problem.Problem;
import dev.driftlock.gateway.problem.ProblemMapper;
import dev.driftlock.gateway.quota.QuotaGate;
import dev.driftlock.gateway.ratelimit.RateLimitDecision;
import dev.driftlock.gateway.ratelimit.RateLimitedException;
import dev.driftlock.gateway.ratelimit.RateLimits;
import dev.driftlock.gateway.security.AccessDeniedException;
import dev.driftlock.gateway.security.Caller;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The reverse proxy for the suite's public API: for a path one of the upstreams serves, it
 * authenticates the caller (API key or OIDC user), checks the scope the route needs and the
 * key's stream restriction, enforces the quota state on ingestion, takes a rate-limit token, then
 * forwards the request with the client's credentials and any internal headers removed and a
 * freshly minted internal token added, streaming both bodies (SSE included). Stripe webhooks pass
 * unauthenticated with the raw body intact.
 */
@ApplicationScoped
class ProxyRoute {

    static final String REQUEST_ID = "X-Request-Id";
    static final String ORG_HEADER = "X-DriftLock-Org";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");
    /** Credentials and headers only the gateway may set; whatever a client sends under these names is dropped. */
    private static final Set<String> STRIPPED = Set.of("authorization", "x-api-key", "cookie", "forwarded", "x-request-id",
            "traceparent", "tracestate");
    private static final List<String> STRIPPED_PREFIXES = List.of("x-internal-", "x-driftlock-", "x-forwarded-");
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final String ZERO_TRACE_ID = "0".repeat(32);
    private static final String ZERO_PARENT_ID = "0".repeat(16);
    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern INGEST_PATH = Pattern.compile("/v1/streams/[^/]+/events|/v1/detect");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Upstream> upstreams;
    private final HttpClient client;
    private final CallerResolver callers;
    private final QuotaGate quotas;
    private final RateLimits rateLimits;
    private final InternalTokenMinter tokens;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    ProxyRoute(GatewayConfig config, Vertx vertx, CallerResolver callers, QuotaGate quotas, RateLimits rateLimits,
               InternalTokenMinter tokens, ObjectMapper json) {
        this.upstreams = config.upstreams().entrySet().stream().map(e -> Upstream.of(e.getKey(), e.getValue())).toList();
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true).setConnectTimeout(2_000)
                .setDecompressionSupported(false));
        this.callers = callers;
        this.quotas = quotas;
        this.rateLimits = rateLimits;
        this.tokens = tokens;
        this.json = json;
        this.maxBodyBytes = config.maxBodyBytes();
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String path = rc.normalizedPath();
        Upstream upstream = upstreams.stream().filter(u -> u.serves(path)).findFirst().orElse(null);
        if (upstream == null) {
            rc.next();
            return;
        }
        HttpServerRequest request = rc.request();
        request.pause();
        Context context = Vertx.currentContext();
        String requestId = requestId(request.getHeader(REQUEST_ID));
        rc.response().putHeader(REQUEST_ID, requestId);
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && parseLength(length) > maxBodyBytes) {
            fail(rc, new PayloadTooLargeException(maxBodyBytes));
            return;
        }
        Uni<Admitted> admitted = upstream.anonymous()
                ? Uni.createFrom().item(new Admitted(null, Map.of()))
                : QuarkusHttpUser.getSecurityIdentity(rc, null)
                        .chain(identity -> callers.resolve(identity, request.getHeader(ORG_HEADER)))
                        .chain(caller -> admit(caller, request.method(), path));
        // Back on the request's event loop BEFORE calling the upstream: the admission steps finish on
        // other threads (Lettuce, the SQL pool), and a client request created there got its response
        // events on another context, so a small upstream answer could end before relay() paused it
        // (IllegalStateException in pipeTo, the client never answered). Seen under load.
        admitted.emitOn(task -> context.runOnContext(v -> task.run()))
                .chain(admit -> forward(rc, upstream, admit, requestId))
                .emitOn(task -> context.runOnContext(v -> task.run()))
                .subscribe().with(response -> relay(rc, response),
                        failure -> context.runOnContext(v -> fail(rc, failure)));
    }

    /** Scope, stream restriction, quota state (ingestion only), then the rate limit. */
    private Uni<Admitted> admit(Caller caller, HttpMethod method, String path) {
        boolean ingest = method == HttpMethod.POST && INGEST_PATH.matcher(path).matches();
        String needed = ingest ? Caller.INGEST
                : method == HttpMethod.GET || method == HttpMethod.HEAD ? Caller.READ : Caller.ADMIN;
        if (!caller.has(needed) && !(Caller.READ.equals(needed) && caller.has(Caller.ADMIN))) {
            return Uni.createFrom().failure(new AccessDeniedException("This " + method + " needs scope " + needed
                    + "; these credentials have " + String.join(", ", caller.scopes().stream().sorted().toList()) + "."));
        }
        if (!caller.streams().isEmpty()) {
            String stream = path.startsWith("/v1/streams/") ? path.substring("/v1/streams/".length()).split("/")[0] : null;
            if (stream == null || !caller.mayUseStream(stream)) {
                return Uni.createFrom().failure(new AccessDeniedException("This API key is restricted to the streams "
                        + String.join(", ", caller.streams().stream().sorted().toList()) + "."));
            }
        }
        if (ingest) {
            try {
                quotas.checkIngest(caller.orgId());
            } catch (RuntimeException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return rateLimits.acquire(caller).map(decision -> new Admitted(caller, decision.headers()));
    }

    private Uni<Exchange> forward(RoutingContext rc, Upstream upstream, Admitted admitted, String requestId) {
        HttpServerRequest in = rc.request();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setAbsoluteURI(upstream.baseUrl() + in.uri())
                .setIdleTimeout(upstream.idleTimeoutMillis());
        MultiMap headers = options.getHeaders() == null ? MultiMap.caseInsensitiveMultiMap() : options.getHeaders();
        in.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !STRIPPED.contains(name) && STRIPPED_PREFIXES.stream().noneMatch(name::startsWith)) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        if (admitted.caller() != null) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.tokenFor(admitted.caller()));
        }
        headers.set(REQUEST_ID, requestId);
        headers.set("traceparent", traceparent(in.getHeader("traceparent")));
        String tracestate = in.getHeader("tracestate");
        if (tracestate != null && validTraceparent(in.getHeader("traceparent"))) {
            headers.set("tracestate", tracestate);
        }
        headers.set("X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress());
        headers.set("X-Forwarded-Proto", in.scheme());
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = in.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
        boolean hasBody = chunked || length != null && parseLength(length) > 0;
        if (length != null && !chunked) {
            headers.set(HttpHeaders.CONTENT_LENGTH, length);
        }
        options.setHeaders(headers);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        AtomicBoolean tooLarge = new AtomicBoolean();
        return upstream.guard().get(() -> Uni.createFrom().completionStage(() -> client.request(options)
                        .compose(out -> {
                            sent.set(out);
                            // failures (a reset included) reach us through the response future; without a
                            // handler Vert.x would also log each deliberate abort as an ERROR
                            out.exceptionHandler(e -> { });
                            rc.response().closeHandler(v -> out.reset());
                            if (!hasBody) {
                                in.resume();
                                return out.send();
                            }
                            if (chunked) {
                                out.setChunked(true);
                                // no declared length to refuse up front: count while streaming, abort past the limit
                                return out.send(new LimitedBody(in, maxBodyBytes, () -> {
                                    tooLarge.set(true);
                                    out.reset(0, new PayloadTooLargeException(maxBodyBytes));
                                }));
                            }
                            return out.send(in);
                        })
                        // hold the body until relay() pipes it, so no early byte is lost
                        .map(response -> response.pause())
                        .toCompletionStage())
                        // the client's fault, not the upstream's: skipped by the circuit breaker
                        .onFailure(e -> tooLarge.get()).transform(e -> new PayloadTooLargeException(maxBodyBytes)))
                .map(response -> new Exchange(response, admitted.rateLimitHeaders()))
                .onFailure().invoke(e -> {
                    // a timed-out exchange still holds a pooled connection, and a late answer would stay
                    // paused on it: abort it (a no-op if it already failed)
                    HttpClientRequest out = sent.get();
                    if (out != null) {
                        out.reset();
                    }
                })
                .onFailure().transform(e -> upstreamFailure(upstream, e));
    }

    private static void relay(RoutingContext rc, Exchange exchange) {
        HttpClientResponse upstream = exchange.response();
        HttpServerResponse out = rc.response();
        out.setStatusCode(upstream.statusCode());
        upstream.headers().forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.equals("x-request-id")) {
                out.headers().add(header.getKey(), header.getValue());
            }
        });
        exchange.rateLimitHeaders().forEach(out::putHeader);
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && upstream.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
            out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            out.setChunked(true);
        }
        upstream.pipeTo(out);
    }

    private void fail(RoutingContext rc, Throwable failure) {
        HttpServerResponse out = rc.response();
        if (out.headWritten()) {
            out.reset();
            return;
        }
        ProblemMapper.Rendered rendered = ProblemMapper.render(failure, rc.normalizedPath());
        if (failure instanceof RateLimitedException limited) {
            limited.headers().forEach(out::putHeader);
        }
        if (rendered.status() == 401) {
            out.putHeader("WWW-Authenticate", "Bearer");
        }
        String body;
        try {
            body = json.writeValueAsString(rendered.problem());
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + rendered.status() + "}";
        }
        out.setStatusCode(rendered.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        // the request body was never read: close the connection rather than drain it
        if (rc.request().getHeader(HttpHeaders.CONTENT_LENGTH) != null || rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            out.putHeader(HttpHeaders.CONNECTION, "close");
        }
        out.end(body);
        rc.request().resume();
    }

    private static Throwable upstreamFailure(Upstream upstream, Throwable e) {
        if (e instanceof CircuitBreakerOpenException) {
            return new UpstreamException(503, "upstream-unavailable", "Service unavailable",
                    "The " + upstream.name() + " service is failing; the gateway stopped calling it for a few seconds. Retry later.");
        }
        if (e instanceof TimeoutException) {
            return new UpstreamException(504, "upstream-timeout", "Gateway timeout",
                    "The " + upstream.name() + " service did not answer in time. Retry later.");
        }
        if (e instanceof AuthenticationFailedException || e instanceof dev.driftlock.gateway.problem.ProblemException) {
            return e;
        }
        return new UpstreamException(502, "upstream-unreachable", "Bad gateway",
                "The " + upstream.name() + " service could not be reached. Retry later.");
    }

    /**
     * W3C trace context, version 00: lower-case hex, and neither the trace id nor the parent id all
     * zeros (the spec declares those invalid).
     */
    static boolean validTraceparent(String presented) {
        return presented != null && TRACEPARENT.matcher(presented).matches()
                && !presented.startsWith(ZERO_TRACE_ID, 3) && !presented.startsWith(ZERO_PARENT_ID, 36);
    }

    static String requestId(String presented) {
        return presented != null && SAFE_REQUEST_ID.matcher(presented).matches() ? presented : UUID.randomUUID().toString();
    }

    /** The client's W3C trace context if well-formed, else a new trace with the sampled flag. */
    static String traceparent(String presented) {
        if (validTraceparent(presented)) {
            return presented;
        }
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        RANDOM.nextBytes(trace);
        RANDOM.nextBytes(span);
        return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
    }

    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private record Admitted(Caller caller, Map<String, String> rateLimitHeaders) {
    }

    private record Exchange(HttpClientResponse response, Map<String, String> rateLimitHeaders) {
    }
}
