package dev.driftlock.billing.subscription;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /v1/billing/portal} (optional). */
record PortalRequest(@Size(max = 2048) @Pattern(regexp = "https?://.+") String returnUrl) {
}
