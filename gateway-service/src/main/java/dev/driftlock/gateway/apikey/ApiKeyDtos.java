package dev.driftlock.gateway.apikey;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/** Request and response bodies of the API key endpoints. */
public final class ApiKeyDtos {

    private ApiKeyDtos() {
    }

    /**
     * @param streams optional: the only streams the key may touch
     */
    record CreateKey(@NotBlank @Size(max = 120) String name,
                     @NotEmpty List<@Pattern(regexp = "ingest|read|admin", message = "must be ingest, read or admin") String> scopes,
                     @Size(max = 100) List<@NotBlank String> streams) {
    }

    /** The answer to a creation: the only time {@code key} is shown. */
    public record CreatedKey(String id, String key, String name, List<String> scopes, List<String> streams, Instant createdAt) {
    }

    record KeyView(String id, String name, List<String> scopes, List<String> streams, String createdBy, Instant createdAt,
                   Instant revokedAt, Instant lastUsedAt) {
    }
}
