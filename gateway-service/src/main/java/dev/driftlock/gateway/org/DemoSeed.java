package dev.driftlock.gateway.org;

import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.apikey.ApiKeyService;
import dev.driftlock.gateway.security.Caller;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * For {@code ./driftlock up} ({@code DRIFTLOCK_GATEWAY_DEMO_SEED=true}): makes sure org
 * {@value #ORG_ID} exists (owner {@value #OWNER}) and writes a fresh API key with every scope to
 * the demo key file, which the launcher prints. Never enabled in production.
 */
@ApplicationScoped
class DemoSeed {

    static final String ORG_ID = "org_demo";
    static final String OWNER = "demo";
    private static final Logger LOG = Logger.getLogger(DemoSeed.class);

    private final GatewayConfig config;
    private final OrgService orgs;
    private final ApiKeyService keys;

    DemoSeed(GatewayConfig config, OrgService orgs, ApiKeyService keys) {
        this.config = config;
        this.orgs = orgs;
        this.keys = keys;
    }

    void seed(@Observes StartupEvent start) throws IOException {
        if (!config.demoSeed().enabled()) {
            return;
        }
        Duration wait = Duration.ofSeconds(30);
        if (!orgs.exists(ORG_ID).await().atMost(wait)) {
            orgs.create(ORG_ID, OWNER, "demo@driftlock.local", "Demo", List.of("demo@driftlock.local")).await().atMost(wait);
        }
        Caller owner = new Caller(ORG_ID, OWNER, Caller.ALL_SCOPES, "developer", null, null);
        String key = keys.create(owner, "demo key (./driftlock up)", List.of(Caller.INGEST, Caller.READ, Caller.ADMIN), null)
                .await().atMost(wait).key();
        Path file = Path.of(config.demoSeed().keyFile().orElse(".driftlock/demo-api-key"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, key + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            LOG.debug("no POSIX permissions on this file system");
        }
        LOG.infof("demo org %s ready; API key written to %s", ORG_ID, file.toAbsolutePath());
    }
}
