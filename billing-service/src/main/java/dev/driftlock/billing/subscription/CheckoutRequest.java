package dev.driftlock.billing.subscription;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /v1/billing/checkout}.
 *
 * @param plan          plan id ({@code standard}, {@code growth})
 * @param promotionCode optional promotion code; absent = the launch promotion when enabled
 * @param successUrl    optional redirect after payment (default from config)
 * @param cancelUrl     optional redirect when the customer gives up (default from config)
 */
record CheckoutRequest(
        @NotBlank String plan,
        @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9_-]+") String promotionCode,
        @Size(max = 2048) @Pattern(regexp = "https?://.+") String successUrl,
        @Size(max = 2048) @Pattern(regexp = "https?://.+") String cancelUrl) {
}
